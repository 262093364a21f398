package io.flywheel.platform;

import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/** Projects (tenants) and their keys. */
public interface Projects {

    /** Creates a project with fresh keys; the secret key is only ever returned here and by rotation. */
    ProjectKeys create(String name, ZoneId timeZone, String actor);

    Optional<Project> find(long id);

    List<Project> all();

    Project update(long id, String name, ZoneId timeZone, String actor);

    /** Replaces both the write key and the secret key; the old ones stop working at once. */
    ProjectKeys rotateKeys(long id, String actor);

    Optional<Project> findByWriteKey(String writeKey);

    Optional<Project> findBySecretKey(String secretKey);
}
