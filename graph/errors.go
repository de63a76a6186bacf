package graph

import (
	"errors"
	"fmt"
)

// Error codes shared by every layer; the HTTP layer maps them to statuses and the CLI
// to exit codes.
const (
	EINVALID  = "invalid"   // input breaks a rule; the caller must change it
	ENOTFOUND = "not_found" // a referenced record does not exist
	ECONFLICT = "conflict"  // the request clashes with stored state
	EINTERNAL = "internal"  // a fault on our side; details are logged, not shown
	// EUNAVAILABLE: the store is busy — another writer held it longer than a write
	// may wait; nothing was written, retry later (HTTP 503 with Retry-After).
	EUNAVAILABLE = "unavailable"
)

// Error is a coded error whose Message is written for the person who will read it.
type Error struct {
	Code    string
	Message string
	Err     error // underlying cause, if any
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for any
// other non-nil error and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	var v *ValidationError
	if errors.As(err, &v) {
		return EINVALID
	}
	return EINTERNAL
}

// ValidationError carries every problem found in a dataset so that a user can fix
// them all in one pass.
type ValidationError struct {
	Problems []Problem
}

func (e *ValidationError) Error() string {
	if len(e.Problems) == 1 {
		return "1 problem: " + e.Problems[0].String()
	}
	return fmt.Sprintf("%d problems, first: %s", len(e.Problems), e.Problems[0].String())
}
