package it.io.roomcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.io.roomcast.support.Deployments;
import it.io.roomcast.support.PacedPublisher;
import it.io.roomcast.support.RecoveringClient;
import it.io.roomcast.support.RoomLog;
import it.io.roomcast.support.TcpProxy;
import it.io.roomcast.support.Urls;
import it.io.roomcast.support.WsClient;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Recovery with the in-memory bus on one node (history kept in the node's memory): a client
 * whose connection is cut while messages keep coming rejoins with {@code since} and gets
 * every message once, in offset order.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class LocalHistoryRecoveryIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.roomcast("localhistory", Map.of("roomcast.rate.messages-per-second", "1000"));
    }

    @ArquillianResource
    URL base;

    @Test
    @Timeout(60)
    void aClientCutOffTwiceWhileMessagesKeepComingRecoversEveryMessageOnceInOrder() throws Exception {
        String room = "local-recovery";
        int count = 90; // within the default history of 100, whatever the timing of the cuts
        try (TcpProxy path = TcpProxy.start(Urls.websocket(base));
             RecoveringClient client = RecoveringClient.connect(List.of(path.uri()), Duration.ZERO, room);
             WsClient publisher = WsClient.connect(Urls.websocket(base))) {
            publisher.join(room);
            var publishing = PacedPublisher.start(publisher, room, count, 30); // 3 s of messages
            client.awaitMessages(room, 20, WsClient.WAIT);
            path.cutAll();
            awaitRejoins(client, room, 1);
            client.awaitMessages(room, 50, WsClient.WAIT);
            path.cutAll();
            awaitRejoins(client, room, 2);

            assertEquals(count, publishing.acks().get(30, TimeUnit.SECONDS).size());
            RoomLog log = client.awaitMessages(room, count, RecoveringClient.WAIT);
            log.assertEveryOffsetOnceInOrder(1, count);
            assertTrue(log.rejoins().stream().allMatch(RoomLog.Rejoin::recovered), log.toString());
        }
    }

    private static void awaitRejoins(RecoveringClient client, String room, int count) throws InterruptedException {
        client.await(c -> c.rejoinCount(room) == count, RecoveringClient.WAIT, "rejoined " + count + " times");
    }
}
