package it.io.roomcast.support;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough PromQL reading to list the metric names an expression uses. */
public final class PromQl {

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "offset", "bool");
    private static final Pattern IDENTIFIER = Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\b(\\s*\\()?");

    private PromQl() {
    }

    /** Identifiers that are not functions, keywords, label names or label values. */
    public static Set<String> metricNames(String expr) {
        String bare = expr.replaceAll("\\{[^}]*\\}", "").replaceAll("\\[[^]]*\\]", "")
                .replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", "");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) {
            if (m.group(2) == null && !KEYWORDS.contains(m.group(1))) {
                names.add(m.group(1));
            }
        }
        return names;
    }
}
