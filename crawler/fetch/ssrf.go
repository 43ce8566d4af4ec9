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
// exempt, set only by this package's tests, lets one loopback test server stand in for a public
// site while everything else stays guarded.
func dialControl(exempt func(netip.AddrPort) bool) func(network, address string, _ syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		return checkDial(address, exempt)
	}
}

func checkDial(address string, exempt func(netip.AddrPort) bool) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		host, _, serr := net.SplitHostPort(address)
		if serr != nil {
			return &ssrfError{addr: address, reason: "unparsable address"}
		}
		ip, perr := netip.ParseAddr(host)
		if perr != nil {
			return &ssrfError{addr: address, reason: "not an IP address"}
		}
		ap = netip.AddrPortFrom(ip, 0)
	}
	if exempt != nil && exempt(ap) {
		return nil
	}
	if r := blockedReason(ap.Addr()); r != "" {
		return &ssrfError{addr: address, reason: r}
	}
	return nil
}
