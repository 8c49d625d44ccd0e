package i18n

import (
	"testing"
	"time"
)

func TestNumber(t *testing.T) {
	tests := []struct {
		v        float64
		decimals int
		want     string
	}{
		{0, 0, "0"},
		{12, 0, "12"},
		{1234.5, 1, "1\u00a0234,5"},
		{1234567, 0, "1\u00a0234\u00a0567"},
		{-1234.56, 2, "−1\u00a0234,56"},
		{-0.04, 1, "0,0"},
		{999.96, 1, "1\u00a0000,0"},
		{4.25, 1, "4,3"},
		{0.125, 2, "0,13"},
	}
	for _, tt := range tests {
		if got := Number(tt.v, tt.decimals); got != tt.want {
			t.Errorf("Number(%v, %d) = %q, want %q", tt.v, tt.decimals, got, tt.want)
		}
	}
}

func TestDates(t *testing.T) {
	d := time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC)
	if got := Date(d); got != "3.11.2026" {
		t.Errorf("Date = %q", got)
	}
	// An instant shows as the Helsinki wall clock, summer time or not.
	if got := DateTime(time.Date(2026, 7, 1, 9, 5, 0, 0, time.UTC)); got != "1.7.2026 12.05" {
		t.Errorf("DateTime in summer = %q", got)
	}
	if got := DateTime(time.Date(2026, 11, 3, 9, 5, 0, 0, time.UTC)); got != "3.11.2026 11.05" {
		t.Errorf("DateTime in winter = %q", got)
	}
	if got := Month(d); got != "11/2026" {
		t.Errorf("Month = %q", got)
	}
}

func TestEveryMessageHasAllLanguages(t *testing.T) {
	for key, m := range messages {
		if m.fi == "" || m.sv == "" || m.en == "" {
			t.Errorf("message %q lacks a translation: %+v", key, m)
		}
	}
	if got := Swedish.T("filter.apply"); got != "Visa" {
		t.Errorf("sv filter.apply = %q", got)
	}
	if got := English.T("no.such.key"); got != "no.such.key" {
		t.Errorf("missing key = %q", got)
	}
}

func TestDuration(t *testing.T) {
	tests := []struct {
		lang    Lang
		minutes float64
		want    string
	}{
		{Finnish, 12.4, "12\u00a0min"},
		{Finnish, 90, "1,5\u00a0h"},
		{Finnish, 47 * 60, "47,0\u00a0h"},
		{Finnish, 3 * 24 * 60, "3,0\u00a0vrk"},
		{Swedish, 3 * 24 * 60, "3,0\u00a0dygn"},
		{English, 36 * 60, "36,0\u00a0h"},
	}
	for _, tt := range tests {
		if got := tt.lang.Duration(tt.minutes); got != tt.want {
			t.Errorf("%s Duration(%v) = %q, want %q", tt.lang, tt.minutes, got, tt.want)
		}
	}
}
