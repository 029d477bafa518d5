# `make` builds the book into out/; `make test` installs the validators and runs every
# test; `make bench` measures build time and sizes; `make compare` sets the same
# manuscript with other typesetters where they are installed.

CARGO ?= cargo
BIN := target/release/pamphlet

.PHONY: all build test tools bench compare clean

all: build

build:
	$(CARGO) build --release --locked
	$(BIN) build book -o out

tools:
	tests/tools.sh

# The book is built first, so the last thing printed is the tests' own summary.
test: tools build
	$(CARGO) test --locked

bench:
	$(CARGO) build --release --locked
	tests/bench.sh

compare: build
	tests/compare.sh

clean:
	$(CARGO) clean
	rm -rf out
