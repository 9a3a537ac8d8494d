# newtsim: the two commands of the README.
#   make run   install missing system packages, build release, run the main job on the built-in case
#   make test  install missing system packages, run the test suite
SWIFT ?= swift
OUT ?= out/m2-euv

.PHONY: run test deps build bench clean

deps:
	@bash scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release

# Until `newtsim study` exists, the main job is phase-1 imaging of the reference case with its maps.
run: build
	.build/release/newtsim image --map --out $(OUT)
	.build/release/newtsim resist --trials 200 --out $(OUT)/resist
	.build/release/newtsim fem --out $(OUT)/fem
	@echo "open $(OUT)/report.html, $(OUT)/resist/report.html and $(OUT)/fem/report.html"

test: deps
	$(SWIFT) test

bench: build
	.build/release/newtsim bench image
	.build/release/newtsim bench resist
	.build/release/newtsim bench fem

clean:
	rm -rf .build out
