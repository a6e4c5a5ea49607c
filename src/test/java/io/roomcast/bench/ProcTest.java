package io.roomcast.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A floor pass starts only once the floor let go of the last pass's sockets; the count must see them. */
class ProcTest {

    private static final String HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt";

    private static String socket(String local, String remote, String state) {
        return "   0: " + local + " " + remote + " " + state + " 00000000:00000000 00:00000000 00000000";
    }

    @Test
    void acceptedSocketsCountsOpenAndHalfClosedConnectionsOnTheServersPortOnly() {
        List<String> table = List.of(HEADER,
                socket("0100007F:2328", "00000000:0000", "0A"), // port 9000 listening
                socket("0100007F:2328", "0100007F:A001", "01"), // accepted, open
                socket("0100007F:2328", "0100007F:A002", "08"), // the client closed, the server not yet
                socket("0100007F:2328", "0100007F:A003", "06"), // closed, in TIME_WAIT
                socket("0100007F:A004", "0100007F:2328", "01"), // the client's end
                socket("0100007F:2329", "0100007F:A005", "01")); // another server's port
        assertEquals(2, Proc.acceptedSockets(table, 9000));
    }
}
