package demo

import (
	"math"
	"math/rand/v2"
	"strconv"
)

func surveyColumns() []string {
	return []string{"response_id", "question", "answered_on", "unit_id", "channel_id", "score", "comment"}
}

// surveyRows are the answers to the satisfaction question (0–10) that
// about one resident in twelve gives after being served. A unit's answers
// follow how fast it answers: its slowness lowers the mean, so a slow unit
// also hears it in the survey.
func surveyRows(m *model, seed int64, counts []int32) [][]any {
	r := rand.New(rand.NewPCG(uint64(seed), 0x5a7))
	days := m.period.days
	var rows [][]any
	for u := range m.units {
		mean := 8 - 1.5*math.Log(max(m.units[u].speed, 0.2)) // speed above 1 is slow
		for c := range numChannels {
			for d := range days {
				for range counts[(u*int(numChannels)+int(c))*days+d] {
					if r.Float64() >= 0.08 {
						continue
					}
					score := min(max(math.Round(mean+r.NormFloat64()*1.6), 0), 10)
					rows = append(rows, []any{
						"demo-" + strconv.Itoa(len(rows)+1), "satisfaction", m.period.start.AddDate(0, 0, d),
						m.units[u].id, m.chanIDs[c], int16(score), "",
					})
				}
			}
		}
	}
	return rows
}
