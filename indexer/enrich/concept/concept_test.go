package concept

import (
	"slices"
	"testing"
)

func TestOf(t *testing.T) {
	l := Builtin()
	tests := []struct {
		text, lang string
		want       []string
	}{
		{"لا بديل عن التنفيذ الكامل للاتفاق بمرحلتيه", "ar", []string{"agreement", "alternative", "implementation", "phase"}},
		{"there was no alternative to full implementation of both phases", "en", []string{"alternative", "implementation", "phase"}},
		{"دعت إلى تثبيت وقف إطلاق النار", "ar", []string{"ceasefire", "consolidate"}},
		{"The deal was endorsed; the war ended.", "en", []string{"agreement", "approve", "end", "war"}},
		{"endorse", "en", []string{"approve"}}, // not "end": a short stem matches whole words only
		{"", "ar", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := l.Of(tt.text, tt.lang); !slices.Equal(got, tt.want) {
				t.Errorf("Of(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

func TestParseRejectsBadLines(t *testing.T) {
	if _, err := Parse("peace\tسلام"); err == nil {
		t.Error("a line with two columns was accepted")
	}
}

// Pairs of statements by one speaker within days, one Arabic and one
// English, labelled by reading them (the demo site's sentences, ours):
// same statement or not.
func TestSameStatementAcrossLanguages(t *testing.T) {
	l := Builtin()
	pairs := []struct {
		ar, en string
		same   bool
	}{
		{"لا بديل عن التنفيذ الكامل للاتفاق بمرحلتيه", "there was no alternative to full implementation of both phases", true},
		{"رفض مصر القاطع لأي محاولات لتقسيم القطاع أو تغيير تركيبته السكانية", "Cairo's rejection of any division of the Strip", true},
		{"مصر تواصل التحضير لاستضافة مؤتمر دولي للتعافي المبكر وإعادة الإعمار", "there was no alternative to full implementation of both phases", false},
		{"مصر تواصل التحضير لاستضافة مؤتمر دولي للتعافي المبكر وإعادة الإعمار", "Cairo's rejection of any division of the Strip", false},
		{"لا بديل عن التنفيذ الكامل للاتفاق بمرحلتيه", "Cairo's rejection of any division of the Strip", false},
		{"سيعرض الاتفاق على الحكومة للمصادقة عليه", "he would convene his government to approve the deal", true},
		{"يوم عظيم لإسرائيل", "he would convene his government to approve the deal", false},
		{"أي قوة دولية في غزة يجب أن تستند إلى تفويض واضح من مجلس الأمن", "the mandate and rules of an international force should be defined by the Security Council", true},
		{"الدول المشاركة «تريد أن ترى الاتفاق يتحول إلى سلام دائم»", "the group wanted the ceasefire to become permanent and said Palestinians should govern Palestinians", true},
		{"أي قوة دولية في غزة يجب أن تستند إلى تفويض واضح من مجلس الأمن", "Palestinians should govern Palestinians", false},
		{"إلزام الاحتلال بتنفيذ استحقاقات الاتفاق كاملة", "guarantor states to hold Israel to its commitments", true},
		{"توصلت إلى اتفاق يقضي بإنهاء الحرب على غزة وانسحاب الاحتلال وتبادل الأسرى", "the agreement would end the war, secure the withdrawal of Israeli forces and a prisoner exchange", true},
		{"توصلت إلى اتفاق يقضي بإنهاء الحرب على غزة وانسحاب الاحتلال وتبادل الأسرى", "guarantor states to hold Israel to its commitments", false},
		{"سلاح المقاومة «مرتبط بوجود الاحتلال»", "the group's arms are linked to the occupation", true},
		{"المركز سيضم ممثلين عن دول شريكة ومنظمات إنسانية", "the centre would serve as a hub where partner countries and humanitarian groups work together", true},
		{"نحو مائتي عسكري أمريكي سيعملون فيه دون أن ينتشروا داخل القطاع", "the centre would serve as a hub where partner countries and humanitarian groups work together", false},
	}
	var tp, fp, fn int
	for _, p := range pairs {
		a, e := l.Of(p.ar, "ar"), l.Of(p.en, "en")
		got := Same(a, e)
		switch {
		case got && p.same:
			tp++
		case got:
			fp++
		case p.same:
			fn++
		}
		if got != p.same {
			shared, coeff := Overlap(a, e)
			t.Logf("Same = %v, want %v (shared %d, %.2f)\n  ar %v: %s\n  en %v: %s", got, p.same, shared, coeff, a, p.ar, e, p.en)
		}
	}
	// A false merge tells a reader two statements are one, so precision
	// must be perfect here; a miss only leaves a translation ungrouped.
	precision, recall := float64(tp)/float64(tp+fp), float64(tp)/float64(tp+fn)
	t.Logf("%d pairs: precision %.2f, recall %.2f", len(pairs), precision, recall)
	if fp > 0 || recall < 0.85 {
		t.Errorf("precision %.2f (want 1), recall %.2f (want >= 0.85)", precision, recall)
	}
}

func FuzzOf(f *testing.F) {
	f.Add("لا بديل عن التنفيذ الكامل للاتفاق", "ar")
	f.Add("no alternative to full implementation", "en")
	f.Fuzz(func(t *testing.T, text, lang string) {
		got := Builtin().Of(text, lang)
		if !slices.IsSorted(got) {
			t.Errorf("not sorted: %v", got)
		}
	})
}
