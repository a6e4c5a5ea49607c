package io.roomcast.security;

import io.roomcast.config.RoomcastConfig;

/** Builds {@link AddressQuota} outside CDI for unit tests of other packages (its config is injected). */
public final class TestQuotas {

    private TestQuotas() {
    }

    public static AddressQuota with(RoomcastConfig config) {
        AddressQuota quota = new AddressQuota();
        quota.config = config;
        return quota;
    }
}
