package fetch

import (
	"net"
	"net/netip"
	"syscall"
)

// blockedPrefixes are the destinations a crawler driven by outside URLs must never reach: they
// expose the host itself, the internal network or the cloud metadata service (169.254.169.254
// lies in link-local, fd00:ec2::254 in unique-local).
var blockedPrefixes = func() []struct {
	p      netip.Prefix
	reason string
} {
	list := []struct{ cidr, reason string }{
		{"0.0.0.0/8", "unspecified"},
		{"10.0.0.0/8", "private"},
		{"100.64.0.0/10", "carrier-grade NAT"},
		{"127.0.0.0/8", "loopback"},
		{"169.254.0.0/16", "link-local"},
		{"172.16.0.0/12", "private"},
		{"192.0.0.0/24", "IETF protocol assignments"},
		{"192.168.0.0/16", "private"},
		{"198.18.0.0/15", "benchmarking"},
		{"224.0.0.0/4", "multicast"},
		{"240.0.0.0/4", "reserved"},
		{"::/128", "unspecified"},
		{"::1/128", "loopback"},
		{"64:ff9b::/96", "NAT64"},
		{"64:ff9b:1::/48", "NAT64"},
		{"fc00::/7", "private"},
		{"fe80::/10", "link-local"},
		{"fec0::/10", "site-local"},
		{"ff00::/8", "multicast"},
	}
	out := make([]struct {
		p      netip.Prefix
		reason string
	}, len(list))
	for i, e := range list {
		out[i].p = netip.MustParsePrefix(e.cidr)
		out[i].reason = e.reason
	}
	return out
}()

// blockedReason returns why ip may not be dialled, or "" if it may.
func blockedReason(ip netip.Addr) string {
	if !ip.IsValid() {
		return "invalid address"
	}
	ip = ip.WithZone("")
	if ip.Is4In6() {
		// ::ffff:127.0.0.1 reaches 127.0.0.1 on dual-stack sockets: judge the IPv4 address.
		if r := blockedReason(ip.Unmap()); r != "" {
			return "IPv4-mapped " + r
		}
		return ""
	}
	if ip == netip.MustParseAddr("169.254.169.254") {
		return "cloud metadata"
	}
	if ip.Is4() && ip == netip.AddrFrom4([4]byte{255, 255, 255, 255}) {
		return "broadcast"
	}
	for _, b := range blockedPrefixes {
		if b.p.Contains(ip) {
			return b.reason
		}
	}
	return ""
}

// dialControl runs after DNS resolution, on the address actually being dialled, so the guard holds
// for redirects and for DNS rebinding (a name that resolved to a public address a moment ago).
func dialControl(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return &ssrfError{addr: address, reason: "unparsable address"}
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return &ssrfError{addr: address, reason: "not an IP address"}
	}
	if r := blockedReason(ip); r != "" {
		return &ssrfError{addr: address, reason: r}
	}
	return nil
}
