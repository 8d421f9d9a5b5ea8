// An A/B pair for tests/integration/compare.sh: built twice, the second time
// with -DSLOWER, which makes BM_work do twice the work; BM_same is the same in
// both builds.
#include <benchmark/benchmark.h>

#include <cstdint>

static uint64_t work(uint64_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (uint64_t i = 0; i < n; i++) {
		h ^= i;
		h *= 1099511628211ull;
		benchmark::DoNotOptimize(h);
	}
	return h;
}

#ifdef SLOWER
static const uint64_t kWork = 40000;
#else
static const uint64_t kWork = 20000;
#endif

static void BM_work(benchmark::State &state)
{
	for (auto _ : state)
		benchmark::DoNotOptimize(work(kWork));
}
BENCHMARK(BM_work);

static void BM_same(benchmark::State &state)
{
	for (auto _ : state)
		benchmark::DoNotOptimize(work(20000));
}
BENCHMARK(BM_same);

BENCHMARK_MAIN();
