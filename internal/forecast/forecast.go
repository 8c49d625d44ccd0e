// Package forecast projects monthly series forward with additive
// Holt-Winters smoothing (level, trend and a seasonal pattern), the method
// the ennakointi work asks for: it follows a trend and a year's rhythm,
// needs no more than two years of history, and its few parameters can be
// fitted by plain search.
//
// The model, for a season of m periods:
//
//	level    ℓt = α(yt − st−m) + (1−α)(ℓt−1 + bt−1)
//	trend    bt = β(ℓt − ℓt−1) + (1−β)bt−1
//	season   st = γ(yt − ℓt−1 − bt−1) + (1−γ)st−m
//	forecast ŷt+h = ℓt + h·bt + st+h−m(k+1),  k = ⌊(h−1)/m⌋
//
// α, β and γ are chosen on a grid to minimise the squared one-step errors.
// The 95 % interval is ŷ ± 1,96·σ·√h, where σ is the root mean square
// one-step error: it widens with the horizon without claiming more
// precision than the model has.
package forecast

import (
	"errors"
	"math"
)

// Forecast is the projection of a series.
type Forecast struct {
	Mean         []float64 // the expected values, one per period ahead
	Lower, Upper []float64 // the 95 % interval
	Alpha, Beta  float64   // the fitted smoothing weights
	Gamma        float64
	RMSE         float64 // of the one-step errors over the history
}

// ErrShortHistory means the series is too short to fit a season.
var ErrShortHistory = errors.New("forecast: the history must span at least two seasons")

// z95 is the normal quantile of a two-sided 95 % interval.
const z95 = 1.96

// HoltWinters fits the additive model to y with seasons of m periods and
// projects h periods ahead. Forecasts of counts and euros below zero are
// cut to zero, since neither can be negative.
func HoltWinters(y []float64, m, h int) (Forecast, error) {
	if m < 2 || len(y) < 2*m {
		return Forecast{}, ErrShortHistory
	}
	for _, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Forecast{}, errors.New("forecast: the history has a missing or infinite value")
		}
	}
	grid := []float64{0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}
	s := newSmoothing(y, m)
	best := Forecast{RMSE: math.Inf(1)}
	for _, a := range grid {
		for _, b := range grid[:5] { // a trend that moves slowly
			for _, g := range grid {
				if rmse := s.fit(a, b, g, nil); rmse < best.RMSE {
					best = Forecast{Alpha: a, Beta: b, Gamma: g, RMSE: rmse}
				}
			}
		}
	}
	best.Mean = make([]float64, h)
	s.fit(best.Alpha, best.Beta, best.Gamma, best.Mean)
	best.Lower, best.Upper = make([]float64, h), make([]float64, h)
	for i := range h {
		spread := z95 * best.RMSE * math.Sqrt(float64(i+1))
		best.Mean[i] = math.Max(best.Mean[i], 0)
		best.Lower[i] = math.Max(best.Mean[i]-spread, 0)
		best.Upper[i] = best.Mean[i] + spread
	}
	return best, nil
}

// smoothing is a series to fit, with its starting state, which is the
// same for every choice of weights, worked out once.
type smoothing struct {
	y            []float64
	m            int
	level, trend float64
	season       []float64 // the first season's parts, then the fit's
}

// newSmoothing starts from the first two seasons: the trend is the average
// change per period between their means; the first season's mean stands
// at its middle, so the level at its last period is further along the
// trend, and each period's seasonal part is its distance from the trend
// line.
func newSmoothing(y []float64, m int) *smoothing {
	var first, second float64
	for i := range m {
		first += y[i]
		second += y[m+i]
	}
	first, second = first/float64(m), second/float64(m)
	trend := (second - first) / float64(m)
	mid := float64(m-1) / 2
	s := &smoothing{y: y, m: m, level: first + trend*mid, trend: trend, season: make([]float64, len(y))}
	for i := range m {
		s.season[i] = y[i] - (first + trend*(float64(i)-mid))
	}
	return s
}

// fit runs the smoothing over y and returns the root mean square of the
// one-step errors after the first season; if ahead is not nil it is
// filled with the forecasts from the end of y.
func (s *smoothing) fit(alpha, beta, gamma float64, ahead []float64) float64 {
	y, m, season := s.y, s.m, s.season
	level, trend := s.level, s.trend
	var sse float64
	for t := m; t < len(y); t++ {
		p := season[t-m]
		err := y[t] - (level + trend + p)
		sse += err * err
		prevLevel, prevTrend := level, trend
		level = alpha*(y[t]-p) + (1-alpha)*(level+trend)
		trend = beta*(level-prevLevel) + (1-beta)*trend
		season[t] = gamma*(y[t]-prevLevel-prevTrend) + (1-gamma)*p
	}
	n := len(y)
	for k := range ahead {
		ahead[k] = level + float64(k+1)*trend + season[n-m+k%m]
	}
	return math.Sqrt(sse / float64(len(y)-m))
}

// MAPE is the mean absolute percentage error of forecasts against what
// happened, over the periods where something did (actual ≠ 0).
func MAPE(actual, forecast []float64) float64 {
	var sum float64
	n := 0
	for i := range min(len(actual), len(forecast)) {
		if actual[i] == 0 {
			continue
		}
		sum += math.Abs((actual[i] - forecast[i]) / actual[i])
		n++
	}
	if n == 0 {
		return math.NaN()
	}
	return 100 * sum / float64(n)
}

// Backtest holds out the last h periods of y, forecasts them from the rest,
// and returns the MAPE of that forecast.
func Backtest(y []float64, m, h int) (float64, error) {
	if len(y) <= h {
		return 0, ErrShortHistory
	}
	f, err := HoltWinters(y[:len(y)-h], m, h)
	if err != nil {
		return 0, err
	}
	return MAPE(y[len(y)-h:], f.Mean), nil
}

// Accumulated turns a forecast of monthly amounts into one of their
// running total from base (the total so far): the year-end of a budget
// from the months still to come. Its interval follows the same error
// model as the monthly one, where the h-step error is the sum of h one-step
// errors: the k-month total then has the variance σ²·k(k+1)(2k+1)/6. The
// total never falls below base, since the amounts cannot be negative.
func (f Forecast) Accumulated(base float64) Forecast {
	out := f
	h := len(f.Mean)
	out.Mean, out.Lower, out.Upper = make([]float64, h), make([]float64, h), make([]float64, h)
	total := base
	for i := range h {
		total += f.Mean[i]
		k := float64(i + 1)
		spread := z95 * f.RMSE * math.Sqrt(k*(k+1)*(2*k+1)/6)
		out.Mean[i] = total
		out.Lower[i] = math.Max(total-spread, base)
		out.Upper[i] = total + spread
	}
	return out
}
