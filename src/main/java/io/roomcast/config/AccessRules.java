package io.roomcast.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The parsed {@code roomcast.acl}: rules {@code PATTERN=JOIN/PUBLISH} separated by {@code ;}.
 * PATTERN is a room id with {@code *} wildcards (any run of characters, also none); JOIN and
 * PUBLISH are comma-separated groups, or {@code *} for anyone. The first rule whose pattern
 * matches the room decides; a room no rule matches is open to everyone. Immutable and
 * thread-safe.
 */
public final class AccessRules {

    private static final String KEY = "roomcast.acl";
    private static final AccessRules OPEN = new AccessRules(List.of());

    private final List<Rule> rules;

    private AccessRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** Parses the key's value; an empty value means no rules. Fails naming the bad rule. */
    public static AccessRules parse(String text) {
        if (text == null || text.isBlank()) {
            return OPEN;
        }
        return new AccessRules(Arrays.stream(text.split(";")).map(String::trim)
                .filter(r -> !r.isEmpty()).map(Rule::parse).toList());
    }

    /** Whether a caller with {@code groups} may join {@code room}. */
    public boolean mayJoin(Set<String> groups, String room) {
        return rule(room).map(r -> r.join.admits(groups)).orElse(true);
    }

    /** Whether a caller with {@code groups} may publish to {@code room}. */
    public boolean mayPublish(Set<String> groups, String room) {
        return rule(room).map(r -> r.publish.admits(groups)).orElse(true);
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    private Optional<Rule> rule(String room) {
        return rules.stream().filter(r -> r.pattern.matcher(room).matches()).findFirst();
    }

    private record Rule(Pattern pattern, Groups join, Groups publish) {

        static Rule parse(String text) {
            int eq = text.indexOf('=');
            int slash = text.indexOf('/', Math.max(eq, 0));
            if (eq <= 0 || slash < 0) {
                throw new IllegalArgumentException(KEY + ": rule '" + text + "' is not PATTERN=JOIN/PUBLISH");
            }
            String pattern = text.substring(0, eq).trim();
            return new Rule(glob(pattern, text), Groups.parse(text.substring(eq + 1, slash), text),
                    Groups.parse(text.substring(slash + 1), text));
        }

        private static Pattern glob(String pattern, String rule) {
            if (!pattern.matches("[A-Za-z0-9_.:@*-]{1,128}")) {
                throw new IllegalArgumentException(KEY + ": rule '" + rule
                        + "' has a pattern that is not a room id with * wildcards");
            }
            return Pattern.compile(Arrays.stream(pattern.split("\\*", -1))
                    .map(part -> part.isEmpty() ? "" : Pattern.quote(part)).collect(Collectors.joining(".*")));
        }
    }

    /** Who a rule lets in: anyone ({@code *}) or members of at least one listed group. */
    private record Groups(boolean anyone, Set<String> names) {

        static Groups parse(String text, String rule) {
            List<String> names = Arrays.stream(text.split(",")).map(String::trim).filter(g -> !g.isEmpty()).toList();
            if (names.isEmpty()) {
                throw new IllegalArgumentException(KEY + ": rule '" + rule + "' lists no group (use * for anyone)");
            }
            return new Groups(names.contains("*"), Set.copyOf(names));
        }

        boolean admits(Set<String> groups) {
            return anyone || groups.stream().anyMatch(names::contains);
        }
    }
}
