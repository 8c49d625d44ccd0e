package demo

import (
	"math"
	"math/rand/v2"
)

// Streams of the PCG source. Each table draws from its own stream, so that,
// for example, a different feedback count leaves finance and HR unchanged.
const (
	streamWeather uint64 = iota + 1
	streamFeedback
	streamContacts
	streamFinance
	streamHR
	streamLocation
	streamActions
)

func newRand(seed int64, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), stream))
}

// weights draws indexes with probability proportional to their weight.
type weights struct {
	cum []float64 // running totals
}

func newWeights(w []float64) weights {
	cum := make([]float64, len(w))
	total := 0.0
	for i, x := range w {
		total += max(x, 0)
		cum[i] = total
	}
	return weights{cum: cum}
}

func (w weights) total() float64 {
	if len(w.cum) == 0 {
		return 0
	}
	return w.cum[len(w.cum)-1]
}

// draw returns an index; it must not be called when all weights are zero.
func (w weights) draw(r *rand.Rand) int {
	x := r.Float64() * w.total()
	lo, hi := 0, len(w.cum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if w.cum[mid] > x {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// logNormal returns a positive duration-like value with the given median;
// sigma sets the spread (about the factor e^sigma either side).
func logNormal(r *rand.Rand, median, sigma float64) float64 {
	return median * math.Exp(sigma*r.NormFloat64())
}

// poisson draws a count with mean lambda: exactly for small means (Knuth),
// with the normal approximation for large ones, where it is accurate
// enough for demo data and much faster.
func poisson(r *rand.Rand, lambda float64) int {
	switch {
	case lambda <= 0:
		return 0
	case lambda < 30:
		limit := math.Exp(-lambda)
		n, p := 0, r.Float64()
		for p > limit {
			n++
			p *= r.Float64()
		}
		return n
	default:
		return max(0, int(math.Round(lambda+math.Sqrt(lambda)*r.NormFloat64())))
	}
}

// noise returns a factor around 1 with the given standard deviation,
// never below 0.
func noise(r *rand.Rand, sd float64) float64 {
	return max(0, 1+sd*r.NormFloat64())
}
