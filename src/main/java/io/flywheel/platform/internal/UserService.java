package io.flywheel.platform.internal;

import static java.util.Objects.requireNonNull;

import io.flywheel.platform.AuditLog;
import io.flywheel.platform.Role;
import io.flywheel.platform.UserAccount;
import io.flywheel.platform.Users;
import io.flywheel.shared.ConflictException;
import io.flywheel.shared.InvalidInputException;
import io.flywheel.shared.NotFoundException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
class UserService implements Users {

    static final int MIN_PASSWORD = 8;
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,63}");

    private final UserStore store;
    private final ProjectStore projects;
    private final PasswordEncoder encoder;
    private final AuditLog audit;
    private final Clock clock;

    UserService(UserStore store, ProjectStore projects, PasswordEncoder encoder, AuditLog audit, Clock clock) {
        this.store = store;
        this.projects = projects;
        this.encoder = encoder;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public List<UserAccount> all() {
        return store.all();
    }

    @Override
    public Optional<UserAccount> find(long id) {
        return store.find(id);
    }

    @Override
    public Optional<UserAccount> findByUsername(String username) {
        return store.findByUsername(username);
    }

    @Override
    @Transactional
    public UserAccount create(String username, String displayName, String password, Role role, Set<Long> projectIds, String actor) {
        String name = username == null ? "" : username.strip();
        if (!USERNAME.matcher(name).matches()) {
            throw new InvalidInputException("username", "username must be 2-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit");
        }
        if (store.findByUsername(name).isPresent()) {
            throw new ConflictException("a user named " + name + " already exists");
        }
        checkPassword(password);
        requireNonNull(role, "role is null");
        checkProjects(projectIds);
        long id = store.insert(name, validDisplayName(displayName, name), encoder.encode(password), role, clock.instant());
        store.replaceProjects(id, projectIds);
        audit.record(actor, null, "user.created", name, "role " + role.key() + "; projects " + sorted(projectIds));
        return store.find(id).orElseThrow();
    }

    @Override
    @Transactional
    public UserAccount update(long id, String displayName, Role role, boolean enabled, Set<Long> projectIds, String actor) {
        UserAccount before = store.find(id).orElseThrow(() -> new NotFoundException("user " + id + " does not exist"));
        requireNonNull(role, "role is null");
        checkProjects(projectIds);
        boolean stillAdmin = role == Role.ADMIN && enabled;
        if (before.role() == Role.ADMIN && before.enabled() && !stillAdmin && enabledAdmins() <= 1) {
            throw new ConflictException("the last enabled admin cannot be demoted or disabled");
        }
        store.update(id, validDisplayName(displayName, before.username()), role, enabled, clock.instant());
        store.replaceProjects(id, projectIds);
        audit.record(actor, null, "user.updated", before.username(),
                "role " + before.role().key() + " -> " + role.key() + "; enabled " + before.enabled() + " -> " + enabled
                        + "; projects " + sorted(before.projects()) + " -> " + sorted(projectIds));
        return store.find(id).orElseThrow();
    }

    @Override
    @Transactional
    public void changePassword(long id, String newPassword, String actor) {
        UserAccount user = store.find(id).orElseThrow(() -> new NotFoundException("user " + id + " does not exist"));
        checkPassword(newPassword);
        store.updatePassword(id, encoder.encode(newPassword), clock.instant());
        audit.record(actor, null, "user.password-changed", user.username(), null);
    }

    private long enabledAdmins() {
        return store.all().stream().filter(user -> user.role() == Role.ADMIN && user.enabled()).count();
    }

    private void checkProjects(Set<Long> projectIds) {
        requireNonNull(projectIds, "projects is null");
        for (Long projectId : projectIds) {
            if (projects.find(projectId).isEmpty()) {
                throw new InvalidInputException("projects", "project " + projectId + " does not exist");
            }
        }
    }

    static void checkPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD) {
            throw new InvalidInputException("password", "password must be at least " + MIN_PASSWORD + " characters");
        }
        if (password.length() > 128) {
            throw new InvalidInputException("password", "password must be at most 128 characters");
        }
    }

    private static String validDisplayName(String displayName, String fallback) {
        String clean = displayName == null ? "" : displayName.strip();
        if (clean.length() > 200) {
            throw new InvalidInputException("displayName", "display name must be at most 200 characters");
        }
        return clean.isEmpty() ? fallback : clean;
    }

    private static List<Long> sorted(Set<Long> ids) {
        return ids.stream().sorted().toList();
    }
}
