/* Writes a large output of one harness format, shaped like the real thing
 * (pretty-printed JSON as the tool writes it, realistic sample counts), to
 * stdout, for tests/perf/import2.sh and for trying `benchkeep import` on
 * big inputs. Values come from a fixed pseudo-random sequence.
 * Usage: gen_import2 FORMAT MEGABYTES
 * FORMAT: benchmarkdotnet jmh julia benchmarkjs benchmarkluau custom
 *         rust-baseline */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long long rng = 88172645463325252ULL;

static double rnd(double base)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return base * (1.0 + (double)(rng % 100000) / 1e6);
}

static long written;

#define OUT(...) (written += printf(__VA_ARGS__))

static void bdn(long limit)
{
	OUT("{\n    \"Title\": \"Gen.Benchmarks-20261130-120000\",\n    \"HostEnvironmentInfo\": {\n"
	    "        \"BenchmarkDotNetCaption\": \"BenchmarkDotNet\",\n"
	    "        \"BenchmarkDotNetVersion\": \"0.13.12\",\n"
	    "        \"ProcessorName\": \"Generated CPU\",\n        \"LogicalCoreCount\": 2\n    },\n"
	    "    \"Benchmarks\": [\n");
	for (int i = 0; written < limit; i++) {
		OUT("%s        {\n            \"DisplayInfo\": \"Benchmarks.Method%d: DefaultJob [N=%d]\",\n"
		    "            \"Namespace\": \"Gen\",\n            \"Type\": \"Benchmarks\",\n"
		    "            \"Method\": \"Method%d\",\n            \"MethodTitle\": \"Method%d\",\n"
		    "            \"Parameters\": \"N=%d\",\n"
		    "            \"FullName\": \"Gen.Benchmarks.Method%d(N: %d)\",\n"
		    "            \"Statistics\": {\n                \"OriginalValues\": [\n",
		    i ? ",\n" : "", i / 4, i % 4, i / 4, i / 4, i % 4, i / 4, i % 4);
		for (int k = 0; k < 100; k++)
			OUT("                    %.17g%s\n", rnd(24.5), k < 99 ? "," : "");
		OUT("                ],\n                \"N\": 100,\n                \"Mean\": 24.6\n"
		    "            },\n            \"Memory\": {\n                \"Gen0Collections\": 12,\n"
		    "                \"Gen1Collections\": 0,\n                \"Gen2Collections\": 0,\n"
		    "                \"TotalOperations\": 16777216,\n"
		    "                \"BytesAllocatedPerOperation\": 32\n            },\n"
		    "            \"Measurements\": [\n");
		for (int k = 0; k < 120; k++)
			OUT("                {\n                    \"IterationMode\": \"%s\",\n"
			    "                    \"IterationStage\": \"%s\",\n"
			    "                    \"LaunchIndex\": 1,\n                    \"IterationIndex\": %d,\n"
			    "                    \"Operations\": 16777216,\n"
			    "                    \"Nanoseconds\": %.0f\n                }%s\n",
			    k < 20 ? "Overhead" : "Workload", k < 20 ? "Actual" : k < 120 ? "Result" : "Actual",
			    k + 1, rnd(411000000), k < 119 ? "," : "");
		OUT("            ]\n        }");
	}
	OUT("\n    ]\n}\n");
}

static void jmh(long limit)
{
	OUT("[\n");
	for (int i = 0; written < limit; i++) {
		OUT("%s    {\n        \"jmhVersion\" : \"1.37\",\n"
		    "        \"benchmark\" : \"org.example.Gen.method%d\",\n        \"mode\" : \"%s\",\n"
		    "        \"threads\" : 1,\n        \"forks\" : 5,\n"
		    "        \"jvm\" : \"/usr/lib/jvm/java-17-openjdk-amd64/bin/java\",\n"
		    "        \"jvmArgs\" : [\n        ],\n        \"jdkVersion\" : \"17.0.13\",\n"
		    "        \"measurementIterations\" : 10,\n        \"params\" : {\n"
		    "            \"size\" : \"%d\"\n        },\n        \"primaryMetric\" : {\n"
		    "            \"score\" : 3.3762388731228185E9,\n            \"scoreError\" : 1.4E7,\n"
		    "            \"scoreUnit\" : \"%s\",\n            \"rawData\" : [\n",
		    i ? ",\n" : "", i / 2, i % 2 ? "avgt" : "thrpt", 16 << (i % 8),
		    i % 2 ? "ns/op" : "ops/s");
		for (int f = 0; f < 5; f++) {
			OUT("                [\n");
			for (int k = 0; k < 10; k++)
				OUT("                    %.17g%s\n", rnd(i % 2 ? 295.1 : 3.37e9),
				    k < 9 ? "," : "");
			OUT("                ]%s\n", f < 4 ? "," : "");
		}
		OUT("            ]\n        },\n        \"secondaryMetrics\" : {\n"
		    "            \"gc.alloc.rate\" : {\n                \"score\" : %.17g,\n"
		    "                \"scoreUnit\" : \"MB/sec\"\n            },\n"
		    "            \"gc.alloc.rate.norm\" : {\n                \"score\" : 2568.0,\n"
		    "                \"scoreUnit\" : \"B/op\"\n            }\n        }\n    }",
		    rnd(1263.3));
	}
	OUT("\n]\n");
}

static void julia(long limit)
{
	OUT("[{\"Julia\":\"1.10.4\",\"BenchmarkTools\":{\"major\":1,\"minor\":5,\"patch\":0,"
	    "\"prerelease\":[],\"build\":[]}},[[\"BenchmarkGroup\",{\"data\":{");
	for (int g = 0; written < limit; g++) {
		OUT("%s\"group%d\":[\"BenchmarkGroup\",{\"data\":{", g ? "," : "", g);
		for (int t = 0; t < 10; t++) {
			OUT("%s\"n=%d\":[\"Trial\",{\"allocs\":3,\"gctimes\":[", t ? "," : "", t);
			for (int k = 0; k < 1000; k++)
				OUT("%s0.0", k ? "," : "");
			OUT("],\"memory\":8192,\"params\":[\"Parameters\",{\"gctrial\":true,\"samples\":1000,"
			    "\"evals\":10,\"seconds\":5.0}],\"times\":[");
			for (int k = 0; k < 1000; k++)
				OUT("%s%.17g", k ? "," : "", rnd(10250.5));
			OUT("]}]");
		}
		OUT("},\"tags\":[]}]");
	}
	OUT("},\"tags\":[]}]]]\n");
}

static void benchmarkjs(long limit)
{
	for (int i = 0; written < limit; i++) {
		double hz = rnd(i % 3 ? 1431759 : 81.61);
		if (hz >= 100)
			OUT("suite %d: case %d x %.0f ops/sec \xC2\xB1%.2f%% (%d runs sampled)\n", i / 10, i,
			    hz, rnd(0.74), 60 + i % 40);
		else
			OUT("suite %d: case %d x %.2f ops/sec \xC2\xB1%.2f%% (%d runs sampled)\n", i / 10, i,
			    hz, rnd(1.7), 60 + i % 40);
	}
}

static void luau(long limit)
{
	int n;
	for (n = 0; written < limit; n++)
		OUT("SUCCESS: bench%-40d :   %.3fms +/-  %.3f%% on luau\n", n, rnd(15.041), rnd(0.636));
	OUT("\n=====RESULTS=====\nTest                   | Min         | Average     | StdDev%%    | Driver\n");
	for (int i = 0; i < n; i++)
		OUT("bench%-18d |   %.3fms  |   %.3fms  |    %.3f%%  | luau\n", i, rnd(14.8), rnd(15.0),
		    rnd(0.6));
}

static void custom(long limit)
{
	OUT("[\n");
	for (int i = 0; written < limit; i++)
		OUT("%s    {\n        \"name\": \"Custom benchmark %d - Throughput\",\n"
		    "        \"unit\": \"req/s\",\n        \"value\": %.17g,\n"
		    "        \"range\": \"%.1f%%\",\n        \"extra\": \"run %d\\nhost gen\"\n    }",
		    i ? ",\n" : "", i, rnd(70), rnd(5), i);
	OUT("\n]\n");
}

static void rustbaseline(long limit)
{
	OUT("{\n");
	for (int i = 0; written < limit; i++)
		OUT("%s  \"bench_%d\": {\n    \"metrics\": {\n"
		    "      \"avg_duration\": { \"secs\": 0, \"nanos\": %.0f },\n"
		    "      \"median_duration\": { \"secs\": 0, \"nanos\": %.0f },\n"
		    "      \"p95_duration\": { \"secs\": 0, \"nanos\": %.0f },\n"
		    "      \"p99_duration\": { \"secs\": 0, \"nanos\": %.0f },\n"
		    "      \"std_deviation\": { \"secs\": 0, \"nanos\": 120000 },\n"
		    "      \"throughput\": %.17g,\n      \"memory_usage_mb\": 12.5,\n"
		    "      \"peak_memory_mb\": 16.0,\n      \"error_rate\": 0.0,\n"
		    "      \"successful_ops\": 1000,\n      \"failed_ops\": 0,\n"
		    "      \"custom_metrics\": { \"cache_hits\": 990 }\n    },\n"
		    "    \"metadata\": { \"description\": \"generated\" },\n    \"version\": 1\n  }",
		    i ? ",\n" : "", i, rnd(1e6), rnd(9.5e5), rnd(1.5e6), rnd(2.1e6), rnd(1000));
	OUT("\n}\n");
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: gen_import2 FORMAT MEGABYTES\n");
		return 2;
	}
	long limit = (long)(atof(argv[2]) * 1024 * 1024);
	const char *f = argv[1];
	if (!strcmp(f, "benchmarkdotnet"))
		bdn(limit);
	else if (!strcmp(f, "jmh"))
		jmh(limit);
	else if (!strcmp(f, "julia"))
		julia(limit);
	else if (!strcmp(f, "benchmarkjs"))
		benchmarkjs(limit);
	else if (!strcmp(f, "benchmarkluau"))
		luau(limit);
	else if (!strcmp(f, "custom"))
		custom(limit);
	else if (!strcmp(f, "rust-baseline"))
		rustbaseline(limit);
	else {
		fprintf(stderr, "gen_import2: unknown format '%s'\n", f);
		return 2;
	}
	return fflush(stdout) || ferror(stdout) ? 1 : 0;
}
