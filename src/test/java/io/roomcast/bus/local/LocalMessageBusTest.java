package io.roomcast.bus.local;

import io.roomcast.bus.BusListener;
import io.roomcast.bus.MessageBus;
import io.roomcast.bus.MessageBusContract;

/** The in-memory bus meets the bus contract (it is the reference behaviour). */
class LocalMessageBusTest extends MessageBusContract {

    @Override
    protected MessageBus startBus(String nodeId, BusListener listener) {
        LocalMessageBus bus = new LocalMessageBus();
        bus.start(listener);
        return bus;
    }
}
