package io.flywheel.people.internal;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What each column of an imported file becomes, in the order of the file's header: the userId,
 * the anonymousId, a trait (with a name and a type) or nothing.
 */
public record ImportMapping(List<Column> columns) {

    public ImportMapping {
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
    }

    /** What a column is. */
    public enum Role {
        USER_ID, ANONYMOUS_ID, TRAIT, IGNORE;

        public String key() {
            return switch (this) {
                case USER_ID -> "userId";
                case ANONYMOUS_ID -> "anonymousId";
                case TRAIT -> "trait";
                case IGNORE -> "ignore";
            };
        }

        public static Role of(String key) {
            for (Role role : values()) {
                if (role.key().equalsIgnoreCase(key.strip())) {
                    return role;
                }
            }
            throw new IllegalArgumentException("a column is userId, anonymousId, trait or ignore, not '" + key + "'");
        }
    }

    /** How a trait's cells are read; cells of every type may be empty, which sets nothing. */
    public enum Type {
        TEXT, NUMBER, BOOLEAN, DATE;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Type of(String key) {
            if (key == null || key.isBlank()) {
                return TEXT;
            }
            for (Type type : values()) {
                if (type.key().equalsIgnoreCase(key.strip())) {
                    return type;
                }
            }
            throw new IllegalArgumentException("a trait type is text, number, boolean or date, not '" + key + "'");
        }
    }

    /**
     * One column.
     *
     * @param header the column's name in the file
     * @param trait the trait name, for {@link Role#TRAIT} only
     */
    public record Column(String header, Role role, String trait, Type type) {

        public Column {
            requireNonNull(header, "header is null");
            requireNonNull(role, "role is null");
            type = type == null ? Type.TEXT : type;
            trait = role == Role.TRAIT ? (trait == null ? header.strip() : trait.strip()) : null;
        }
    }

    /** The mapping an operator starts from: userId and anonymousId by their usual names, every other column a text trait. */
    public static ImportMapping suggested(List<String> header) {
        boolean userId = false;
        boolean anonymousId = false;
        List<Column> columns = new ArrayList<>(header.size());
        for (String name : header) {
            String normalised = name.strip().toLowerCase(Locale.ROOT).replace("_", "").replace("-", "").replace(" ", "");
            if (!userId && (normalised.equals("userid") || normalised.equals("uid") || normalised.equals("用户id"))) {
                userId = true;
                columns.add(new Column(name, Role.USER_ID, null, null));
            }
            else if (!anonymousId && (normalised.equals("anonymousid") || normalised.equals("匿名id"))) {
                anonymousId = true;
                columns.add(new Column(name, Role.ANONYMOUS_ID, null, null));
            }
            else {
                columns.add(new Column(name, Role.TRAIT, name, Type.TEXT));
            }
        }
        return new ImportMapping(columns);
    }
}
