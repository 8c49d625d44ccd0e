package forecast

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// pattern is a year's rhythm that sums to zero: quiet July, busy spring.
var pattern = []float64{-10, 5, 20, 15, 10, -5, -40, -20, 10, 15, 5, -5}

func series(n int, base, slope float64, noise float64, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 1))
	y := make([]float64, n)
	for t := range y {
		y[t] = base + slope*float64(t) + pattern[t%12] + noise*r.NormFloat64()
	}
	return y
}

// A series that is exactly trend plus season is forecast exactly, with no
// uncertainty, whatever the smoothing weights.
func TestKnownAnswerTrendAndSeason(t *testing.T) {
	y := series(36, 100, 2, 0, 1)
	f, err := HoltWinters(y, 12, 18)
	if err != nil {
		t.Fatal(err)
	}
	for h, got := range f.Mean {
		want := 100 + 2*float64(36+h) + pattern[(36+h)%12]
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("h=%d: %v, want %v", h+1, got, want)
		}
		if f.Upper[h]-f.Lower[h] > 1e-9 {
			t.Errorf("h=%d: interval %v–%v on an exact series", h+1, f.Lower[h], f.Upper[h])
		}
	}
	if f.RMSE > 1e-9 {
		t.Errorf("RMSE = %v, want 0", f.RMSE)
	}
}

func TestKnownAnswerConstant(t *testing.T) {
	y := make([]float64, 24)
	for i := range y {
		y[i] = 42
	}
	f, err := HoltWinters(y, 12, 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range f.Mean {
		if math.Abs(v-42) > 1e-9 {
			t.Errorf("forecast of a constant = %v", f.Mean)
		}
	}
}

// One hand-computed step with season 2: y = 1 3 2 4 | 3. The first two
// seasons give means 2 and 3, trend 0,5, level at t=1 of 2,25, seasons
// −0,75 and +0,75 … checked here through the one-step error at t=2..4.
func TestKnownAnswerHandComputed(t *testing.T) {
	y := []float64{1, 3, 2, 4, 3}
	// t=2: ŷ = 2,25 + 0,5 − 0,75 = 2 (error 0); with α=β=γ=0,5:
	//   ℓ = 0,5(2+0,75) + 0,5(2,75) = 2,75; b = 0,5(0,5) + 0,25 = 0,5;
	//   s = 0,5(2−2,25−0,5) + 0,5(−0,75) = −0,75
	// t=3: ŷ = 2,75 + 0,5 + 0,75 = 4 (error 0) … a linear zig-zag is exact.
	// t=4: ŷ = 3,25 + 0,5 − 0,75 = 3 (error 0).
	if rmse := newSmoothing(y, 2).fit(0.5, 0.5, 0.5, nil); math.Abs(rmse) > 1e-12 {
		t.Errorf("RMSE = %v, want 0", rmse)
	}
	ahead := make([]float64, 2)
	newSmoothing(y, 2).fit(0.5, 0.5, 0.5, ahead)
	if math.Abs(ahead[0]-5) > 1e-12 || math.Abs(ahead[1]-4) > 1e-12 {
		t.Errorf("ahead = %v, want [5 4]", ahead)
	}
	// A surprise moves the forecast by the weights: y4 = 5 instead of 3.
	y[4] = 5
	rmse := newSmoothing(y, 2).fit(0.5, 0.5, 0.5, ahead)
	// Only t=4 errs, by 2, over three one-step errors: √(4/3).
	if math.Abs(rmse-math.Sqrt(4.0/3)) > 1e-12 {
		t.Errorf("RMSE = %v, want √(4/3)", rmse)
	}
	// ℓ = 0,5(5+0,75) + 0,5(3,25+0,5) = 4,75; b = 0,5(4,75−3,25) + 0,5·0,5 = 1;
	// s(t=4) = 0,5(5−3,25−0,5) + 0,5(−0,75) = 0,25; ŷ5 = 4,75+1+0,75 = 6,5;
	// ŷ6 = 4,75 + 2 + 0,25 = 7.
	if math.Abs(ahead[0]-6.5) > 1e-12 || math.Abs(ahead[1]-7) > 1e-12 {
		t.Errorf("ahead after a surprise = %v, want [6.5 7]", ahead)
	}
}

func TestNoisySeriesBacktest(t *testing.T) {
	y := series(48, 500, 3, 10, 7) // noise 2 % of the level
	mape, err := Backtest(y, 12, 12)
	if err != nil {
		t.Fatal(err)
	}
	if mape > 5 {
		t.Errorf("backtest MAPE %.1f %%, want under 5 %% on a 2 %% noise series", mape)
	}
	f, err := HoltWinters(y, 12, 12)
	if err != nil {
		t.Fatal(err)
	}
	for h := range f.Mean {
		if !(f.Lower[h] <= f.Mean[h] && f.Mean[h] <= f.Upper[h]) || (h > 0 && f.Upper[h]-f.Lower[h] <= f.Upper[h-1]-f.Lower[h-1]) {
			t.Errorf("h=%d: interval %v–%v around %v does not widen", h+1, f.Lower[h], f.Upper[h], f.Mean[h])
		}
	}
}

func TestForecastsAreNotNegative(t *testing.T) {
	y := series(24, 200, -9, 0, 1) // falling towards zero
	f, err := HoltWinters(y, 12, 24)
	if err != nil {
		t.Fatal(err)
	}
	for h, v := range f.Mean {
		if v < 0 || f.Lower[h] < 0 {
			t.Errorf("h=%d: %v (lower %v) below zero", h+1, v, f.Lower[h])
		}
	}
}

func TestBadHistory(t *testing.T) {
	if _, err := HoltWinters(make([]float64, 23), 12, 1); !errors.Is(err, ErrShortHistory) {
		t.Errorf("23 months: %v", err)
	}
	y := series(24, 100, 0, 0, 1)
	y[5] = math.NaN()
	if _, err := HoltWinters(y, 12, 1); err == nil {
		t.Error("a NaN was accepted")
	}
	if m := MAPE([]float64{0, 0}, []float64{1, 2}); !math.IsNaN(m) {
		t.Errorf("MAPE over zeros = %v", m)
	}
	if m := MAPE([]float64{100, 200}, []float64{110, 180}); math.Abs(m-10) > 1e-12 {
		t.Errorf("MAPE = %v, want 10", m)
	}
}

// A running total from a known base: the expected values add up, the
// interval widens as the error model says, and never goes below the base.
func TestAccumulated(t *testing.T) {
	f := Forecast{Mean: []float64{10, 20, 30}, RMSE: 1}
	got := f.Accumulated(100)
	want := []float64{110, 130, 160}
	for i := range want {
		if math.Abs(got.Mean[i]-want[i]) > 1e-9 {
			t.Errorf("mean[%d] = %v, want %v", i, got.Mean[i], want[i])
		}
	}
	// k = 1, 2, 3: sqrt(1), sqrt(5), sqrt(14) times 1,96.
	for i, k := range []float64{1, 5, 14} {
		if w := z95 * math.Sqrt(k); math.Abs(got.Upper[i]-got.Mean[i]-w) > 1e-9 {
			t.Errorf("upper[%d] − mean = %v, want %v", i, got.Upper[i]-got.Mean[i], w)
		}
	}
	wide := Forecast{Mean: []float64{1}, RMSE: 1000}.Accumulated(50)
	if wide.Lower[0] != 50 {
		t.Errorf("lower bound %v below the base 50", wide.Lower[0])
	}
	if f.Mean[0] != 10 {
		t.Error("Accumulated changed the monthly forecast")
	}
}

// BenchmarkHoltWinters fits three years of months, as the channels page
// does for each of its channels when its cache is cold.
func BenchmarkHoltWinters(b *testing.B) {
	y := series(36, 100, 2, 8, 7)
	for b.Loop() {
		if _, err := HoltWinters(y, 12, 6); err != nil {
			b.Fatal(err)
		}
	}
}
