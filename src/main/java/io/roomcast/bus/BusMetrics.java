package io.roomcast.bus;

/**
 * The counters a bus reports to (the node's metrics). Called on publishing and bus threads for
 * every room message, so implementations must be cheap and never block. Probes and other
 * internal traffic are not reported.
 */
public interface BusMetrics {

    /** Reports nothing: for buses built outside the container (unit tests). */
    BusMetrics NONE = new BusMetrics() {
        @Override
        public void published() {
        }

        @Override
        public void received() {
        }
    };

    /** This node handed one room message to the bus, and the bus accepted it. */
    void published();

    /** One room message arrived from the bus for a room this node subscribed to. */
    void received();
}
