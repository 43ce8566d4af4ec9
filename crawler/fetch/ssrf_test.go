package fetch

import (
	"net/netip"
	"testing"
)

// FuzzCheckDial cross-checks the guard with the standard library's address predicates: whatever
// the guard lets through must be neither loopback, private, link-local, multicast nor unspecified,
// IPv4-mapped forms included.
func FuzzCheckDial(f *testing.F) {
	for _, s := range []string{"127.0.0.1:80", "[::ffff:10.0.0.1]:443", "169.254.169.254:80", "8.8.8.8:53",
		"[fe80::1%eth0]:80", "[2001:db8::1]:80", "100.64.1.1:80", "[::]:0", "garbage"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, addr string) {
		err := checkDial(addr, nil)
		ap, perr := netip.ParseAddrPort(addr)
		if perr != nil {
			return
		}
		if err != nil {
			return
		}
		for _, ip := range []netip.Addr{ap.Addr(), ap.Addr().Unmap()} {
			if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
				ip.IsMulticast() || ip.IsUnspecified() || ip.IsInterfaceLocalMulticast() {
				t.Fatalf("guard allowed %s", addr)
			}
		}
	})
}
