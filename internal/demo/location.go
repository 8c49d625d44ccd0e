package demo

import "math/rand/v2"

// places pins feedback about a place to the map, as a web form or an app
// with a map does: only for themes that are about a place, and only from
// channels that can ask for one. Points cluster around the districts of
// Esimerkkilä, each theme with its own hot spots. It draws from a stream of
// its own, so the rest of the demo is the same with or without locations.
type places struct{ r *rand.Rand }

func newPlaces(seed int64) places { return places{r: newRand(seed, streamLocation)} }

// district is a neighbourhood: its centre in WGS84 degrees and its spread.
type district struct{ lat, lon, spread float64 }

// Esimerkkilä lies on a lake shore in central Finland (fictional, so the
// map has no base layer to match).
var districts = []district{
	{61.870, 25.170, 0.003}, // keskusta
	{61.888, 25.132, 0.004}, // Pohjoisranta
	{61.848, 25.212, 0.005}, // Kauppala
	{61.899, 25.222, 0.005}, // Mäntylä
	{61.838, 25.122, 0.005}, // Lahdenpohja
	{61.915, 25.170, 0.006}, // Kivikangas
}

// placeThemes weight the districts per theme: snow and potholes in the
// outer districts, noise and parking in the centre.
var placeThemes = map[string][]float64{
	"street_maintenance": {1, 2, 3, 4, 3, 4},
	"street_lighting":    {1, 1, 2, 3, 4, 3},
	"parks":              {2, 3, 2, 2, 3, 1},
	"waste_cleanliness":  {4, 2, 2, 1, 1, 1},
	"parking":            {6, 2, 1, 1, 1, 0},
	"noise":              {6, 2, 2, 1, 0, 1},
	"public_transport":   {2, 2, 2, 3, 2, 3},
	"sports":             {1, 2, 2, 2, 3, 2},
}

// mapChannels can carry a location, and how often they do.
var mapChannels = map[channel]float64{webForm: 0.7, eService: 0.8, whatsapp: 0.5, socialMedia: 0.15}

// locate returns the latitude and longitude of a feedback item, or nils.
func (p places) locate(themeCode string, c channel) (any, any) {
	w, placed := placeThemes[themeCode]
	share := mapChannels[c]
	if !placed || share == 0 || p.r.Float64() >= share {
		return nil, nil
	}
	total := 0.0
	for _, x := range w {
		total += x
	}
	x := p.r.Float64() * total
	d := districts[len(districts)-1]
	for i, wi := range w {
		if x < wi {
			d = districts[i]
			break
		}
		x -= wi
	}
	// A degree of longitude is half a degree of latitude this far north.
	return d.lat + p.r.NormFloat64()*d.spread, d.lon + p.r.NormFloat64()*d.spread*2
}
