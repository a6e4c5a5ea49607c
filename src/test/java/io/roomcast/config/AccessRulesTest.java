package io.roomcast.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessRulesTest {

    private final AccessRules rules = AccessRules.parse("team-*=staff/staff; ops:*=*/ops,admins ;*-private=nobody/nobody");

    @Test
    void groupRuleAdmitsOnlyMembersForJoinAndPublish() {
        assertTrue(rules.mayJoin(Set.of("staff"), "team-red"));
        assertTrue(rules.mayPublish(Set.of("x", "staff"), "team-red"));
        assertFalse(rules.mayJoin(Set.of("ops"), "team-red"));
        assertFalse(rules.mayPublish(Set.of(), "team-red"));
    }

    @Test
    void starAdmitsAnyoneAndPublishListIsSeparate() {
        assertTrue(rules.mayJoin(Set.of(), "ops:alerts"));
        assertFalse(rules.mayPublish(Set.of("staff"), "ops:alerts"));
        assertTrue(rules.mayPublish(Set.of("admins"), "ops:alerts"));
    }

    @Test
    void firstMatchingRuleDecides() {
        // team-x-private matches both team-* and *-private; team-* comes first.
        assertTrue(rules.mayJoin(Set.of("staff"), "team-x-private"));
        assertFalse(rules.mayJoin(Set.of("staff"), "x-private"));
    }

    @Test
    void roomNoRuleMatchesIsOpen() {
        assertTrue(rules.mayJoin(Set.of(), "lobby"));
        assertTrue(rules.mayPublish(Set.of(), "lobby"));
        assertTrue(AccessRules.parse("").mayPublish(Set.of(), "anything"));
    }

    @Test
    void wildcardMatchesWholeIdAndEmptyRuns() {
        AccessRules exact = AccessRules.parse("a.b=g/g;x*y*z=g/g");
        assertFalse(exact.mayJoin(Set.of(), "a.b"));
        assertTrue(exact.mayJoin(Set.of(), "aXb"), "a dot is a dot, not any character");
        assertFalse(exact.mayJoin(Set.of(), "xyz"));
        assertFalse(exact.mayJoin(Set.of(), "x1y2z"));
        assertTrue(exact.mayJoin(Set.of(), "x1y2z3"), "a pattern matches the whole room id");
    }

    @Test
    void malformedRulesFailNamingTheKey() {
        for (String bad : new String[] {"team-*", "team-*=staff", "=a/b", "team-*=/staff", "team-*=staff/", "a b=x/y"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AccessRules.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("roomcast.acl"), e.getMessage());
        }
        assertEquals(true, AccessRules.parse(" ; ").isEmpty());
    }
}
