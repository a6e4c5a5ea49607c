package io.roomcast.config;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * A list of IP addresses and CIDR ranges ({@code 10.0.0.0/8}, {@code ::1}), as in
 * {@code roomcast.auth.trusted-proxies}. Only literal addresses: a host name would make every
 * check a DNS look-up that an attacker might influence. Immutable and thread-safe.
 */
public final class AddressSet {

    private final List<Range> ranges;

    private AddressSet(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /** Parses entries; fails naming {@code key} when one is not an address or range. */
    static AddressSet parse(String key, List<String> entries) {
        return new AddressSet(entries.stream().map(e -> Range.parse(key, e)).toList());
    }

    /** Whether {@code address} (a literal IP, as a servlet container reports it) is in the set. */
    public boolean contains(String address) {
        return literal(address).map(a -> ranges.stream().anyMatch(r -> r.contains(a))).orElse(false);
    }

    /** The address as bytes, or empty when it is not an IP literal (never resolved). */
    public static Optional<InetAddress> literal(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String bare = text.trim();
        if (bare.startsWith("[") && bare.endsWith("]")) {
            bare = bare.substring(1, bare.length() - 1);
        }
        if (bare.isEmpty() || !(bare.indexOf(':') >= 0 || bare.matches("[0-9.]+"))) {
            return Optional.empty(); // a name: refuse rather than resolve
        }
        try {
            return Optional.of(InetAddress.getByName(bare));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private record Range(byte[] network, int prefix) {

        static Range parse(String key, String entry) {
            int slash = entry.indexOf('/');
            String address = slash < 0 ? entry : entry.substring(0, slash);
            InetAddress parsed = literal(address).orElseThrow(() ->
                    new IllegalArgumentException(key + ": '" + entry + "' is not an IP address or CIDR range"));
            int bits = parsed.getAddress().length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException(key + ": '" + entry + "' has a bad prefix length");
                }
            }
            return new Range(parsed.getAddress(), prefix);
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            int shift = network.length * 8 - prefix;
            return new BigInteger(1, candidate).shiftRight(shift).equals(new BigInteger(1, network).shiftRight(shift));
        }
    }
}
