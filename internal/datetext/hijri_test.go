package datetext

import (
	"testing"
	"time"
)

func TestHijriToGregorian(t *testing.T) {
	tests := []struct {
		y, m, d int
		want    string
	}{
		{1446, 9, 1, "2025-03-01"},   // Ramadan 1446 began on a Saturday
		{1446, 12, 10, "2025-06-06"}, // Eid al-Adha 1446
		{1447, 1, 1, "2025-06-26"},   // Hijri new year 1447
		{1447, 5, 1, "2025-10-23"},   // tabular, agrees with Umm al-Qura
		{1447, 6, 5, "2025-11-26"},
		{1445, 9, 1, "2024-03-11"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			got := HijriToGregorian(tt.y, tt.m, tt.d).Format(time.DateOnly)
			if got != tt.want {
				t.Errorf("HijriToGregorian(%d, %d, %d) = %s, want %s", tt.y, tt.m, tt.d, got, tt.want)
			}
		})
	}
}
