"""PASS/FAIL bookkeeping shared by the end-to-end client scripts.

Each script prints one line per check and ends with the plain "N passed, N failed" line that
CI reads; its exit status is 1 on any failure.
"""


class Tally:
    """Counts checks and prints their outcome."""

    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0

    def report(self, ok: bool, name: str, detail: str = "") -> None:
        if ok:
            self.passed += 1
            print(f"PASS {name}")
        else:
            self.failed += 1
            print(f"FAIL {name}: {detail}")

    def finish(self) -> int:
        """Print the closing line; the process exit status to use."""
        print(f"{self.passed} passed, {self.failed} failed")
        return 0 if self.failed == 0 else 1
