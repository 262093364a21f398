package io.flywheel.demo.internal;

import static java.util.Objects.requireNonNull;

import io.flywheel.demo.DemoPlan;
import io.flywheel.events.Event;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Consumer;

/**
 * Generates the demo events of a plan: the same plan, end date and cut-off always give the same
 * events, in time order, handed out in batches while memory stays bounded by one simulated day.
 *
 * <p>Before generating, the activity intensity is calibrated so that the number of events lands
 * close to the plan's target: a dry run over a sample of at most {@value #CALIBRATION_SAMPLE}
 * persons counts events without building them, and the intensity is corrected until the count
 * is within half a percent. First visits happen whatever the intensity, so only the rest is
 * scaled.
 */
final class DemoGenerator {

    static final int CALIBRATION_SAMPLE = 50_000;
    private static final int MAX_ROUNDS = 8;

    private final long projectId;
    private final DemoPlan plan;
    private final Period period;
    private final Catalogue catalogue = new Catalogue();
    private final Population population;
    private final Simulation simulation;
    private final DayBuffer buffer = new DayBuffer();
    private double intensity;
    private long expectedEvents;

    /**
     * @param endDate the last simulated day; the plan's own end date is ignored
     * @param cutoff no event lies at or after this moment; null for none
     */
    DemoGenerator(long projectId, ZoneId zone, LocalDate endDate, Instant cutoff, DemoPlan plan) {
        this.projectId = projectId;
        this.plan = requireNonNull(plan, "plan is null");
        this.period = new Period(zone, requireNonNull(endDate, "endDate is null"), plan.days(), cutoff);
        this.population = new Population(plan.persons(), plan.seed(), period.acquisition);
        this.simulation = new Simulation(population, period, catalogue, plan.seed());
        calibrate();
    }

    /** The number of events {@link #generate} is expected to produce (exact for small plans). */
    long expectedEvents() {
        return expectedEvents;
    }

    double intensity() {
        return intensity;
    }

    /** First moment of the simulated period. */
    Instant start() {
        return Instant.ofEpochMilli(period.dayStart[0]);
    }

    /** The end of the simulated period, exclusive. */
    Instant end() {
        return Instant.ofEpochMilli(period.end);
    }

    /**
     * Generates every event, in time order, handing them to {@code sink} in lists of
     * {@code batchSize} (the last one may be shorter). Returns the number of events.
     */
    long generate(int batchSize, Consumer<List<Event>> sink) {
        Batches batches = new Batches(batchSize, sink);
        EventWriter writer = new EventWriter(projectId, period, catalogue, population, plan.seed());
        simulation.reset(intensity);
        for (int day = 0; day < period.days; day++) {
            simulation.simulateDay(day, 1, buffer);
            writer.writeDay(day, buffer, simulation.refunds(day), batches);
        }
        batches.flush();
        return writer.written();
    }

    private void calibrate() {
        int stride = Math.max(1, plan.persons() / CALIBRATION_SAMPLE);
        int sampled = (plan.persons() + stride - 1) / stride;
        double scale = (double) plan.persons() / sampled;
        double target = plan.events();
        double candidate = 1.0;
        double bestError = Double.MAX_VALUE;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            simulation.reset(candidate);
            long count = 0;
            for (int day = 0; day < period.days; day++) {
                simulation.simulateDay(day, stride, buffer);
                count += buffer.size;
            }
            double total = count * scale;
            double error = Math.abs(total - target) / target;
            if (error < bestError) {
                bestError = error;
                intensity = candidate;
                expectedEvents = Math.round(total);
            }
            if (error < 0.005) {
                return;
            }
            double fixed = simulation.firstVisitEvents() * scale;
            double variable = total - fixed;
            double factor = variable <= 0 ? 2.0 : (target - fixed) / variable;
            candidate *= Math.max(0.05, Math.min(20.0, factor));
        }
    }
}
