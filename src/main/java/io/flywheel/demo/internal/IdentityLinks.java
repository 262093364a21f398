package io.flywheel.demo.internal;

import io.flywheel.events.Event;
import io.flywheel.events.IdentityLink;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The identity links the demo events imply, so that the demo persons look exactly like persons
 * built by tracking: each anonymous id is linked when its person first appears, each user id at
 * the person's identify call.
 */
final class IdentityLinks {

    private final BitSet seen = new BitSet();

    List<IdentityLink> newIn(List<Event> batch) {
        List<IdentityLink> links = new ArrayList<>();
        for (Event event : batch) {
            int person = Math.toIntExact(event.personId());
            if (!seen.get(person)) {
                seen.set(person);
                links.add(new IdentityLink(event.projectId(), event.anonymousId(), event.personId(), false));
            }
            if (event.type().equals("identify")) {
                links.add(new IdentityLink(event.projectId(), event.userId(), event.personId(), true));
            }
        }
        return links;
    }
}
