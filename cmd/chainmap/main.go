// Command chainmap maps a city's industrial chains and tells its investment-promotion
// teams where the gaps are. Run `chainmap serve` to start it with the demo data.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/chainmap/chainmap/graph"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// Exit codes: 1 for input the user must fix, 2 for usage, 3 for faults.
const (
	exitInvalid = 1
	exitUsage   = 2
	exitFault   = 3
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newRoot().ExecuteContext(ctx)
	stop()
	if err == nil {
		return
	}
	var usage usageError
	switch {
	case errors.As(err, &usage):
		fmt.Fprintln(os.Stderr, "错误 error:", err)
		os.Exit(exitUsage)
	case graph.ErrorCode(err) == graph.EINVALID || errors.Is(err, errReported):
		if !errors.Is(err, errReported) {
			fmt.Fprintln(os.Stderr, "错误 error:", err)
		}
		os.Exit(exitInvalid)
	default:
		fmt.Fprintln(os.Stderr, "错误 error:", err)
		os.Exit(exitFault)
	}
}

// usageError marks a mistake in the command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// errReported says the problems were already printed in full.
var errReported = errors.New("problems reported")
