// Command talker writes to stderr as its arguments say, for the tests of
// testbin.Proc: say:TEXT writes a line, partial:TEXT writes TEXT without a
// newline, many:N writes N numbered lines, sleep:DURATION pauses, and
// exit:CODE exits.
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

func main() {
	for _, arg := range os.Args[1:] {
		op, val, _ := strings.Cut(arg, ":")
		switch op {
		case "say":
			fmt.Fprintln(os.Stderr, val)
		case "partial":
			fmt.Fprint(os.Stderr, val)
		case "many":
			n, _ := strconv.Atoi(val)
			for i := range n {
				fmt.Fprintf(os.Stderr, "line %d\n", i)
			}
		case "sleep":
			d, _ := time.ParseDuration(val)
			time.Sleep(d)
		case "exit":
			code, _ := strconv.Atoi(val)
			os.Exit(code)
		default:
			fmt.Fprintf(os.Stderr, "talker: unknown op %q\n", arg)
			os.Exit(100)
		}
	}
}
