package io.flywheel.platform;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Console users, their roles and the projects they may see. */
public interface Users {

    List<UserAccount> all();

    Optional<UserAccount> find(long id);

    Optional<UserAccount> findByUsername(String username);

    UserAccount create(String username, String displayName, String password, Role role, Set<Long> projects, String actor);

    UserAccount update(long id, String displayName, Role role, boolean enabled, Set<Long> projects, String actor);

    void changePassword(long id, String newPassword, String actor);
}
