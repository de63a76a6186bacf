//go:build !unix

package sqlite

// fileLock does nothing where flock(2) is not available: there, restore cannot see
// other processes and relies on the operator stopping the server first.
type fileLock struct{}

func tryLock(path string, exclusive bool) (*fileLock, bool, error) { return &fileLock{}, false, nil }

func (l *fileLock) release() {}

func lockHolders(path string) []string { return nil }
