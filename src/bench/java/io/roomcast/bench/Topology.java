package io.roomcast.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * R rooms of M members spread over the nodes, and P publishers among them, connected and
 * joined once and reused by every measured pass. Member {@code i} of room {@code r} is on
 * node {@code (r + i) % nodes}, so about half of every room is remote from its publisher on
 * two nodes. Publisher {@code p} is member {@code p / R} of room {@code p % R}.
 */
final class Topology implements AutoCloseable {

    /** Handshakes in flight at once, so a large topology never storms the server. */
    private static final int IN_FLIGHT = 100;

    final int rooms;
    final int members;
    final int publishers;
    final Member[] all;
    final int[] publisherNode;
    private final ClientPool clients = new ClientPool();
    private volatile Tally.Receiver[] receivers;

    Topology(Servers servers, int rooms, int members, int publishers) throws Exception {
        if (publishers > rooms * members) {
            throw new IllegalArgumentException("At most rooms x members publishers");
        }
        this.rooms = rooms;
        this.members = members;
        this.publishers = publishers;
        this.all = new Member[rooms * members];
        this.publisherNode = new int[publishers];
        int nodes = servers.size();
        for (int p = 0; p < publishers; p++) {
            publisherNode[p] = (p % rooms + p / rooms) % nodes;
        }
        connectAndJoin(servers);
    }

    private void connectAndJoin(Servers servers) throws Exception {
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        List<CompletableFuture<Void>> joined = new ArrayList<>();
        for (int index = 0; index < all.length; index++) {
            int room = index / members;
            int node = (room + index % members) % servers.size();
            int me = index;
            Member member = new Member(node, frame -> {
                Tally.Receiver[] current = receivers;
                if (current != null) {
                    current[me].onMessage(frame);
                }
            });
            all[index] = member;
            inFlight.acquire();
            joined.add(member.connect(clients.client(index), servers.ws(node))
                    .thenCompose(v -> member.join(roomName(room)))
                    .whenComplete((v, e) -> inFlight.release()));
        }
        CompletableFuture.allOf(joined.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        Progress.say(all.length + " members joined " + rooms + " rooms over " + servers.size() + " node(s)");
    }

    static String roomName(int room) {
        return "bench-r" + room;
    }

    /** A fresh tally for the next pass; every member reports to it from now on. */
    Tally newTally() {
        Tally tally = new Tally(publisherNode);
        Tally.Receiver[] next = new Tally.Receiver[all.length];
        for (int index = 0; index < all.length; index++) {
            next[index] = tally.receiver(all[index].node, publishersOf(index / members));
        }
        receivers = next;
        return tally;
    }

    private int[] publishersOf(int room) {
        List<Integer> found = new ArrayList<>();
        for (int p = room; p < publishers; p += rooms) {
            found.add(p);
        }
        return found.stream().mapToInt(Integer::intValue).toArray();
    }

    Member publisher(int p) {
        return all[(p % rooms) * members + p / rooms];
    }

    int errors() {
        int errors = 0;
        for (Member m : all) {
            errors += m.errors();
        }
        return errors;
    }

    /** Members the server has closed (e.g. 1013 when one fell too far behind). */
    int closedByServer() {
        int closed = 0;
        for (Member m : all) {
            closed += m.closed.isDone() ? 1 : 0;
        }
        return closed;
    }

    @Override
    public void close() {
        clients.abortAll(all);
    }
}
