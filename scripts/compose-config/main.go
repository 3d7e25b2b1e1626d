// Loads and validates docker-compose.yml with compose-go, the library behind `docker compose config`, and
// prints the resolved project. CI runs it (machines without a Docker engine cannot run docker compose).
// Usage: go run ./scripts/compose-config docker-compose.yml   (from the repo root; env interpolation applies)
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: compose-config <compose file>...")
		os.Exit(2)
	}
	opts, err := cli.NewProjectOptions(os.Args[1:], cli.WithOsEnv, cli.WithDotEnv, cli.WithName("hindsight"))
	if err != nil {
		fail(err)
	}
	project, err := opts.LoadProject(context.Background())
	if err != nil {
		fail(err)
	}
	out, err := project.MarshalYAML()
	if err != nil {
		fail(err)
	}
	_, _ = os.Stdout.Write(out)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "docker-compose.yml is invalid:", err)
	os.Exit(1)
}
