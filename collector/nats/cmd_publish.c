/* benchkeep publish: send result files to NATS JetStream for a recorder. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "collector/cli.h"
#include "lib/base/error.h"
#include "collector/nats/natsio.h"
#include "collector/nats/publish.h"

static const char publish_usage[] =
	"usage: benchkeep publish [--nats URL] [--stream NAME] [--subject PREFIX] RESULT...\n"
	"  --nats URL         NATS server (default $NATS_URL, else " NATSIO_DEFAULT_URL ")\n"
	"  --stream NAME      JetStream stream, created with file storage when missing\n"
	"                     (default " NATSIO_DEFAULT_STREAM ")\n"
	"  --subject PREFIX   subject prefix; each result goes to PREFIX.<machine>\n"
	"                     (default " NATSIO_DEFAULT_SUBJECT ")\n"
	"Each file is validated, then published with its run id as the message id\n"
	"(a resend within the stream's duplicate window is dropped) and acknowledged\n"
	"by the stream before the next. Prints \"<run id> <stream seq> [duplicate]\"\n"
	"per file. Exit 2 when a file is invalid or the server cannot be reached.\n";

int cmd_publish(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "nats", required_argument, NULL, 'n' },
		{ "stream", required_argument, NULL, 's' },
		{ "subject", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct publish_opts o = { natsio_default_url(), NATSIO_DEFAULT_STREAM,
				  NATSIO_DEFAULT_SUBJECT };
	int c;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n': o.url = optarg; break;
		case 's': o.stream = optarg; break;
		case 'S': o.subject = optarg; break;
		case 'h': fputs(publish_usage, stdout); return 0;
		default: fputs(publish_usage, stderr); return 2;
		}
	}
	if (optind >= argc) {
		fputs(publish_usage, stderr);
		return bk_fail_msg("no result file given");
	}
	struct publisher *p = NULL;
	if (publisher_open(&p, &o) < 0)
		return bk_fail();
	int rc = 0;
	for (int i = optind; i < argc; i++) {
		struct publish_ack ack;
		if (publisher_send_file(p, argv[i], &ack) < 0) {
			rc = bk_fail();
			break;
		}
		printf("%s %llu%s\n", ack.run_id, ack.seq, ack.duplicate ? " duplicate" : "");
		free(ack.run_id);
	}
	publisher_close(p);
	return rc;
}
