package io.roomcast.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

/** The floor must run as the reference it claims to be: websocket-2.1 only, at /, on loopback, on the node's port. */
class FloorTest {

    private static Document serverXml() throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new InputSource(new StringReader(Floor.serverXml())));
    }

    private static Element only(Document xml, String tag) {
        assertEquals(1, xml.getElementsByTagName(tag).getLength(), tag);
        return (Element) xml.getElementsByTagName(tag).item(0);
    }

    @Test
    void theServerXmlEnablesWebSocketAloneAndDeploysTheWarAtTheRoot() throws Exception {
        Document xml = serverXml();
        assertEquals("websocket-2.1", only(xml, "feature").getTextContent());
        Element app = only(xml, "webApplication");
        assertEquals("/", app.getAttribute("contextRoot"));
        assertEquals("roomcast.war", app.getAttribute("location"), "LibertyNode deploys every WAR under this name");
    }

    @Test
    void theServerListensOnLoopbackOnThePortTheNodeIsGiven() throws Exception {
        Element endpoint = only(serverXml(), "httpEndpoint");
        assertEquals("127.0.0.1", endpoint.getAttribute("host"));
        assertEquals("${http.port}", endpoint.getAttribute("httpPort"));
        assertEquals("-1", endpoint.getAttribute("httpsPort"));
    }

    @Test
    void preparingABuiltFloorWritesItsConfigWithRoomcastsJvmOptions(@TempDir Path dir) throws Exception {
        Path project = Files.createDirectories(dir.resolve("liberty-floor/target")).getParent();
        Files.writeString(project.resolve("pom.xml"), "<project/>");
        Files.writeString(project.resolve(Floor.WAR), "war");
        Path roomcast = Files.createDirectories(dir.resolve("liberty"));
        Files.writeString(roomcast.resolve("jvm.options"), "-Xmx1g\n");

        ServerOptions.Build build = Floor.prepare(project, roomcast, dir.resolve("config"));

        assertTrue(build.floor());
        assertEquals(project.resolve(Floor.WAR).toString(), build.war());
        Path config = Path.of(build.config());
        assertEquals(Floor.serverXml(), Files.readString(config.resolve("server.xml")));
        assertEquals("-Xmx1g\n", Files.readString(config.resolve("jvm.options")));
        Floor.remove(config);
        assertFalse(Files.exists(config));
    }

    @Test
    void aFolderThatIsNoMavenProjectIsRefusedBeforeAnythingIsBuilt(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Floor.prepare(dir, dir, dir.resolve("config")));
        assertTrue(e.getMessage().contains("no pom.xml"), e.getMessage());
    }
}
