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

# The main job: the study of the reference case in quick mode, with the resist calibrated against
# the case study's table (about 27 s; the full study, `newtsim study`, see BENCHMARKS.md).
run: build
	.build/release/newtsim study --quick --data data/case-study-data.csv --out $(OUT)
	@echo "open $(OUT)/report.html"

test: deps
	$(SWIFT) test

bench: build
	.build/release/newtsim bench image
	.build/release/newtsim bench resist
	.build/release/newtsim bench fem
	.build/release/newtsim bench m3d

clean:
	rm -rf .build out
