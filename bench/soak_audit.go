//go:build ignore

// soak_audit counts the audit log entries of bench/soak.sh's writes, reading the
// whole log from the user store itself (the soak holds no admin token for
// GET /api/v1/audit). Run it on a stopped server's user store:
//
//	go run bench/soak_audit.go AUTH_DB
//
// It prints "created N" (POST /api/v1/projects answered 201), "advanced N" (POST
// /api/v1/projects/SOAK-…/transitions answered 200) and "failed N" (writes answered
// other than 2xx), one per line.
package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/chainmap/chainmap/api/auth"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run bench/soak_audit.go AUTH_DB")
		os.Exit(2)
	}
	ctx := context.Background()
	s, err := auth.Open(ctx, os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak_audit:", err)
		os.Exit(3)
	}
	defer s.Close()
	var created, advanced, failed int
	f := auth.AuditFilter{Limit: 1000}
	for {
		page, err := s.AuditLog(ctx, f)
		if err != nil {
			fmt.Fprintln(os.Stderr, "soak_audit:", err)
			os.Exit(3)
		}
		for _, e := range page {
			ok := e.Status >= 200 && e.Status < 300
			switch {
			case !ok && e.Method != "":
				failed++
			case e.Method == "POST" && e.Path == "/api/v1/projects" && e.Status == 201:
				created++
			case e.Method == "POST" && strings.HasPrefix(e.Path, "/api/v1/projects/SOAK-") &&
				strings.HasSuffix(e.Path, "/transitions") && e.Status == 200:
				advanced++
			}
		}
		if len(page) < f.Limit {
			break
		}
		f.BeforeID = page[len(page)-1].ID
	}
	fmt.Printf("created %d\nadvanced %d\nfailed %d\n", created, advanced, failed)
}
