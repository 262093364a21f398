package io.flywheel.demo.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the persons do, day by day: how often they come back, what they look at, what they put in
 * the cart, whether they sign up, buy and ask for a refund. It writes compact events into a
 * {@link DayBuffer}; turning them into real events is {@link EventWriter}'s job.
 *
 * <p>Each person's day draws from its own random stream, so a person's history depends only on
 * the seed and on the activity {@link #intensity}. That makes a run reproducible and lets
 * calibration simulate every n-th person only.
 */
final class Simulation {

    static final double REFUND_RATE = 0.045;
    private static final long SECOND = 1_000;
    private static final long MINUTE = 60 * SECOND;
    private static final int MAX_SESSIONS = 12;
    private static final int MAX_CART = 8;
    /** Page codes; see {@link EventWriter}. */
    static final int HOME = 0;
    static final int CART = 1;
    static final int CHECKOUT_PAGE = 2;
    static final int SIGN_UP_PAGE = 3;
    static final int ORDER_DONE = 4;
    static final int INVITE = 5;
    static final int CATEGORY_PAGES = 16;
    static final int SEARCH_PAGES = 64;
    static final int PRODUCT_PAGES = 256;
    static final int SEARCH_TERMS = 4;

    private final Population population;
    private final Period period;
    private final Catalogue catalogue;
    private final long seed;
    private final double[][] decay;
    private final double[] categoryWeights;
    private final Rng rng = new Rng(0);

    private double intensity = 1.0;
    private final short[] signUpDay;
    private long orderCounter;
    private final List<List<Refund>> refunds;
    private long firstVisitEvents;

    private final long[] sessionStarts = new long[MAX_SESSIONS];
    private final int[] cartProducts = new int[MAX_CART];
    private final int[] cartQuantities = new int[MAX_CART];
    private final Visit visit = new Visit();

    Simulation(Population population, Period period, Catalogue catalogue, long seed) {
        this.population = population;
        this.period = period;
        this.catalogue = catalogue;
        this.seed = seed;
        this.decay = decayTable(period.days);
        double[] weights = catalogue.categoryWeights();
        this.categoryWeights = Rng.cumulative(weights);
        this.signUpDay = new short[population.size];
        this.refunds = new ArrayList<>(period.days);
        for (int day = 0; day < period.days; day++) {
            refunds.add(new ArrayList<>());
        }
        reset(1.0);
    }

    /** Starts over with another activity intensity. */
    void reset(double newIntensity) {
        this.intensity = newIntensity;
        Arrays.fill(signUpDay, (short) -1);
        orderCounter = 0;
        firstVisitEvents = 0;
        refunds.forEach(List::clear);
    }

    /** Events that belong to first visits; they happen whatever the intensity. */
    long firstVisitEvents() {
        return firstVisitEvents;
    }

    List<Refund> refunds(int day) {
        return refunds.get(day);
    }

    /** Simulates one day of every {@code stride}-th person into {@code out}. */
    void simulateDay(int day, int stride, DayBuffer out) {
        out.clear();
        long limit = Math.min(period.dayLength(day), period.end - period.dayStart[day]);
        if (limit <= 0) {
            return;
        }
        List<Refund> due = refunds.get(day);
        for (int i = 0; i < due.size(); i++) {
            Refund refund = due.get(i);
            if (refund.timeOfDay() < limit) {
                out.add(DayBuffer.REFUND, DayBuffer.WITH_USER, refund.timeOfDay(), refund.person(), i, 0, -1);
            }
        }
        int acquired = population.acquiredBy(day);
        for (int person = 0; person < acquired; person += stride) {
            personDay(person, day, limit, out);
        }
    }

    private void personDay(int person, int day, long limit, DayBuffer out) {
        rng.reseed(Rng.derive(seed, 1_000 + day, person));
        int age = day - population.acquisitionDay[person];
        boolean signedUp = signUpDay[person] >= 0;
        double lambda = intensity * population.engagement[person] * Channel.of(population.channel[person]).activity
                * decay[population.decayClass[person]][age] * period.activity[day] * (signedUp ? 1.5 : 1.0) * (age == 0 ? 0.5 : 1.0);
        int sessions = (int) lambda;
        if (rng.nextDouble() < lambda - sessions) {
            sessions++;
        }
        if (age == 0) {
            sessions++;
        }
        sessions = Math.min(sessions, MAX_SESSIONS);
        if (sessions == 0) {
            return;
        }
        for (int i = 0; i < sessions; i++) {
            sessionStarts[i] = period.timeOfDay(day, rng);
        }
        Arrays.sort(sessionStarts, 0, sessions);
        long dayLength = period.dayLength(day);
        long earliest = 0;
        for (int i = 0; i < sessions; i++) {
            boolean first = age == 0 && i == 0;
            long start = Math.max(sessionStarts[i], earliest);
            if (!first && start > dayLength - 20 * MINUTE) {
                break;
            }
            int from = out.size;
            long end = session(person, day, start, first, out);
            if (end >= dayLength) {
                long overflow = end - dayLength + 1 + rng.nextInt(60_000);
                out.shift(from, -overflow);
                end -= overflow;
            }
            out.truncate(from, limit);
            if (first) {
                firstVisitEvents += out.size - from;
            }
            earliest = end + 30 * MINUTE;
        }
    }

    /** One visit; returns the time of its last event. */
    private long session(int person, int day, long start, boolean first, DayBuffer out) {
        Channel source = Channel.of(population.channel[person]);
        boolean signedUp = signUpDay[person] >= 0;
        boolean app = !first && signedUp && population.is(person, Population.APP_USER) && rng.chance(0.75);
        Visit visit = this.visit.start(person, day, start, out, (signedUp ? DayBuffer.WITH_USER : 0) | (app ? DayBuffer.APP : 0));
        arrive(visit, source, first);
        if (rng.chance(first ? source.bounce : 0.22)) {
            return visit.time;
        }
        double buying = population.buying[person] * period.buying[day];
        if (rng.chance(0.3)) {
            search(visit);
        }
        browse(visit, source, buying);
        if (visit.cartSize > 0 && rng.chance(Math.min(0.8, 0.36 + 0.1 * buying))) {
            if (!visit.signedUp()) {
                if (!rng.chance(0.7)) {
                    return visit.time;
                }
                signUp(visit);
            }
            checkout(visit, buying);
            return visit.time;
        }
        if (!visit.signedUp() && rng.chance(first ? source.signUp * 0.55 : source.signUp * 0.06)) {
            signUp(visit);
        }
        return visit.time;
    }

    /** The visit's first event: the app opening, or a page view carrying campaign data when there is any. */
    private void arrive(Visit visit, Channel source, boolean first) {
        if (visit.app()) {
            visit.add(DayBuffer.APP_OPENED, 0, 0, 0);
            return;
        }
        int favourite = population.favouriteCategory[visit.person];
        Channel touchChannel = first ? source : rng.chance(0.12) ? Channel.returning(rng) : null;
        Channel.Landing landing = touchChannel == null ? Channel.Landing.HOME : touchChannel.landing;
        int page = landingPage(landing, favourite, touchChannel != null);
        long touch = touchChannel == null ? 0 : DayBuffer.touch(touchChannel, touchChannel.touch(rng));
        int inviter = touchChannel == Channel.REFERRAL ? inviter(visit.person, visit.day) : -1;
        visit.out.add(DayBuffer.PAGE, visit.flags | touch, visit.time, visit.person, page, 0, inviter);
        if (page >= PRODUCT_PAGES) {
            visit.landingProduct = page - PRODUCT_PAGES;
            visit.time += rng.between(300, 2_000);
            visit.add(DayBuffer.VIEWED, visit.landingProduct, 0, 0);
        }
    }

    private void search(Visit visit) {
        int category = rng.chance(0.6) ? population.favouriteCategory[visit.person] : rng.pick(categoryWeights);
        int term = category * SEARCH_TERMS + rng.nextInt(SEARCH_TERMS);
        if (!visit.app()) {
            visit.add(DayBuffer.PAGE, SEARCH_PAGES + term, 0, rng.between(8, 40) * SECOND);
            visit.add(DayBuffer.SEARCHED, term, 0, rng.between(200, 900));
        }
        else {
            visit.add(DayBuffer.SEARCHED, term, 0, rng.between(8, 40) * SECOND);
        }
    }

    /** Looks at a few products, shares some and puts some in the cart. */
    private void browse(Visit visit, Channel source, double buying) {
        int views = 1 + rng.geometric(1.0 + 1.3 * population.engagement[visit.person], 9);
        double addChance = Math.min(0.5, 0.065 * buying * (visit.signedUp() ? 1.25 : 1.0));
        double shareChance = source == Channel.WECHAT || source == Channel.XIAOHONGSHU ? 0.07 : 0.03;
        for (int i = 0; i < views; i++) {
            int product = i == 0 && visit.landingProduct >= 0 ? visit.landingProduct : pickProduct(population.favouriteCategory[visit.person]);
            if (i > 0 || visit.landingProduct < 0) {
                long gap = rng.between(15, 150) * SECOND;
                if (!visit.app()) {
                    visit.add(DayBuffer.PAGE, PRODUCT_PAGES + product, 0, gap);
                    gap = rng.between(300, 2_000);
                }
                visit.add(DayBuffer.VIEWED, product, 0, gap);
            }
            if (rng.chance(shareChance)) {
                visit.add(DayBuffer.SHARED, product, 0, rng.between(5, 30) * SECOND);
            }
            if (visit.cartSize < MAX_CART && rng.chance(addChance)) {
                int quantity = rng.chance(0.8) ? 1 : rng.chance(0.75) ? 2 : 3;
                visit.add(DayBuffer.ADDED, product, quantity, rng.between(5, 40) * SECOND);
                addToCart(visit, product, quantity);
            }
        }
    }

    private void checkout(Visit visit, double buying) {
        long gap = rng.between(20, 90) * SECOND;
        if (!visit.app()) {
            visit.add(DayBuffer.PAGE, CART, 0, gap);
            visit.add(DayBuffer.PAGE, CHECKOUT_PAGE, 0, rng.between(5, 20) * SECOND);
            gap = rng.between(200, 900);
        }
        int cart = visit.out.addCart(cartProducts, cartQuantities, visit.cartSize);
        visit.add(DayBuffer.CHECKOUT, cart, 0, gap);
        if (!rng.chance(Math.min(0.9, 0.5 + 0.1 * buying))) {
            return;
        }
        long order = ++orderCounter;
        visit.out.cartOrder[cart] = order;
        visit.add(DayBuffer.ORDER, cart, 0, rng.between(60, 300) * SECOND);
        if (!visit.app()) {
            visit.add(DayBuffer.PAGE, ORDER_DONE, 0, rng.between(500, 1_500));
        }
        if (rng.chance(REFUND_RATE)) {
            scheduleRefund(visit.person, visit.day, order, revenue(visit.cartSize));
        }
    }

    /** Signs up on the web: the sign-up page, then Signed Up and identify with the new user id. */
    private void signUp(Visit visit) {
        visit.add(DayBuffer.PAGE, SIGN_UP_PAGE, 0, rng.between(10, 40) * SECOND);
        visit.flags |= DayBuffer.WITH_USER;
        visit.add(DayBuffer.SIGNED_UP, rng.nextInt(3), 0, rng.between(30, 120) * SECOND);
        visit.add(DayBuffer.IDENTIFY, 0, 0, rng.between(150, 800));
        signUpDay[visit.person] = (short) visit.day;
    }

    private void scheduleRefund(int person, int day, long order, long revenueCents) {
        int refundDay = day + 2 + rng.nextInt(8);
        if (refundDay >= period.days) {
            return;
        }
        long timeOfDay = Math.min(period.timeOfDay(refundDay, rng), period.dayLength(refundDay) - 1);
        refunds.get(refundDay).add(new Refund(person, order, day, revenueCents, timeOfDay));
    }

    private int landingPage(Channel.Landing landing, int favourite, boolean campaign) {
        double roll = rng.nextDouble();
        if (!campaign) {
            return roll < 0.55 ? HOME : roll < 0.85 ? PRODUCT_PAGES + pickProduct(favourite) : CATEGORY_PAGES + favourite;
        }
        return switch (landing) {
            case DEEP -> roll < 0.6 ? PRODUCT_PAGES + pickProduct(favourite) : roll < 0.9 ? CATEGORY_PAGES + favourite : HOME;
            case BROAD -> roll < 0.4 ? HOME : roll < 0.8 ? CATEGORY_PAGES + rng.pick(categoryWeights) : PRODUCT_PAGES + pickProduct(favourite);
            case PRODUCT -> roll < 0.7 ? PRODUCT_PAGES + pickProduct(favourite) : HOME;
            case INVITE -> INVITE;
            case HOME -> HOME;
        };
    }

    private int pickProduct(int favourite) {
        int category = rng.chance(0.55) ? favourite : rng.pick(categoryWeights);
        return catalogue.pick(category, rng);
    }

    /** Someone acquired earlier who has signed up, preferably; -1 when there is nobody yet. */
    private int inviter(int person, int day) {
        if (person == 0) {
            return -1;
        }
        int candidate = rng.nextInt(person);
        for (int attempt = 0; attempt < 8 && !(signUpDay[candidate] >= 0 && signUpDay[candidate] <= day); attempt++) {
            candidate = rng.nextInt(person);
        }
        return candidate;
    }

    private void addToCart(Visit visit, int product, int quantity) {
        for (int i = 0; i < visit.cartSize; i++) {
            if (cartProducts[i] == product) {
                cartQuantities[i] = Math.min(7, cartQuantities[i] + quantity);
                return;
            }
        }
        cartProducts[visit.cartSize] = product;
        cartQuantities[visit.cartSize] = quantity;
        visit.cartSize++;
    }

    private long revenue(int cartSize) {
        long cents = 0;
        for (int i = 0; i < cartSize; i++) {
            cents += catalogue.product(cartProducts[i]).priceCents() * cartQuantities[i];
        }
        return cents;
    }

    /**
     * How much of their first-week appetite persons keep as they age: a loyal minority keeps
     * coming back, the others fade at different speeds, and everyone has a small chance to return.
     */
    private static double[][] decayTable(int days) {
        double[] lifetimes = {0, 2, 4, 7, 12, 21};
        double[][] table = new double[lifetimes.length][days];
        for (int age = 0; age < days; age++) {
            table[0][age] = 0.45 + 0.55 * StrictMath.exp(-age / 40.0);
            for (int decayClass = 1; decayClass < lifetimes.length; decayClass++) {
                table[decayClass][age] = Math.max(StrictMath.exp(-age / lifetimes[decayClass]), 0.015);
            }
        }
        return table;
    }

    /** The state of the visit being simulated; one instance is reused for all of them. */
    private static final class Visit {

        int person;
        int day;
        long time;
        long flags;
        DayBuffer out;
        int cartSize;
        int landingProduct;

        Visit start(int newPerson, int newDay, long start, DayBuffer buffer, long newFlags) {
            person = newPerson;
            day = newDay;
            time = start;
            out = buffer;
            flags = newFlags;
            cartSize = 0;
            landingProduct = -1;
            return this;
        }

        boolean app() {
            return DayBuffer.has(flags, DayBuffer.APP);
        }

        boolean signedUp() {
            return DayBuffer.has(flags, DayBuffer.WITH_USER);
        }

        /** Adds an event {@code gap} milliseconds after the previous one. */
        void add(int kind, int argument, int extra, long gap) {
            time += gap;
            out.add(kind, flags, time, person, argument, extra, -1);
        }
    }

    /** A refund due on a later day. */
    record Refund(int person, long order, int orderDay, long revenueCents, long timeOfDay) {
    }
}
