#include "collector/commands.h"
#include "lib/base/error.h"

int cmd_fail(void)
{
	return bk_fail();
}
