package pipeline

import (
	"maps"
	"testing"
)

// A dataset fed by several sources reports the sum of their figures,
// status codes included, without changing either source's own map.
func TestAddStatsSumsStatusCodes(t *testing.T) {
	t.Parallel()
	a := ExtractStats{Requests: 3, StatusCodes: map[int]int64{200: 2, 429: 1}}
	b := ExtractStats{Requests: 2, StatusCodes: map[int]int64{200: 1, 503: 1}}
	sum := addStats(addStats(ExtractStats{}, a), b)
	if want := map[int]int64{200: 3, 429: 1, 503: 1}; sum.Requests != 5 || !maps.Equal(sum.StatusCodes, want) {
		t.Errorf("sum = %+v, want 5 requests and codes %v", sum, want)
	}
	if !maps.Equal(a.StatusCodes, map[int]int64{200: 2, 429: 1}) {
		t.Errorf("adding changed a source's own figures: %v", a.StatusCodes)
	}
	if got := addStats(ExtractStats{}, ExtractStats{Records: 4}); got.StatusCodes != nil {
		t.Errorf("sources without HTTP got status codes %v", got.StatusCodes)
	}
}
