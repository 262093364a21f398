package io.flywheel.platform.web;

import io.flywheel.platform.Access;
import io.flywheel.platform.Capability;
import io.flywheel.platform.Role;
import io.flywheel.platform.UserAccount;
import io.flywheel.platform.Users;
import io.flywheel.shared.InvalidInputException;
import io.flywheel.shared.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/users")
@Tag(name = "Users", description = "Console users and their roles (admin only)")
class UserApiController {

    record CreateUser(@NotBlank String username, String displayName, @NotBlank String password, @NotBlank String role, Set<Long> projects) {
    }

    record UpdateUser(String displayName, String role, Boolean enabled, Set<Long> projects, String password) {
    }

    private final Users users;
    private final Access access;

    UserApiController(Users users, Access access) {
        this.users = users;
        this.access = access;
    }

    @GetMapping
    @Operation(summary = "List console users")
    List<UserAccount> list() {
        access.require(Capability.MANAGE);
        return users.all();
    }

    @PostMapping
    @Operation(summary = "Create a console user", description = "role is one of admin, operator, analyst, viewer; projects lists the project ids a non-admin may see.")
    ResponseEntity<UserAccount> create(@Valid @RequestBody CreateUser request) {
        access.require(Capability.MANAGE);
        UserAccount created = users.create(request.username(), request.displayName(), request.password(), role(request.role()),
                request.projects() == null ? Set.of() : request.projects(), access.current().name());
        return ResponseEntity.created(URI.create("/api/v1/users/" + created.id())).body(created);
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Change a user's name, role, projects, enabled flag or password")
    UserAccount update(@PathVariable long id, @RequestBody UpdateUser request) {
        access.require(Capability.MANAGE);
        UserAccount user = users.find(id).orElseThrow(() -> new NotFoundException("user " + id + " does not exist"));
        String actor = access.current().name();
        if (request.password() != null) {
            users.changePassword(id, request.password(), actor);
        }
        return users.update(id,
                request.displayName() == null ? user.displayName() : request.displayName(),
                request.role() == null ? user.role() : role(request.role()),
                request.enabled() == null ? user.enabled() : request.enabled(),
                request.projects() == null ? user.projects() : request.projects(),
                actor);
    }

    private static Role role(String name) {
        try {
            return Role.parse(name);
        }
        catch (IllegalArgumentException e) {
            throw new InvalidInputException("role", e.getMessage());
        }
    }
}
