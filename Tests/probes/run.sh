#!/usr/bin/env bash
# Runs the probe and environment-model tests. Redis tests fail (not skip) without redis when
# OPS_REQUIRE_TOOLS=1.
set -euo pipefail
cd "$(dirname "$0")/../.."
scratch=${SCRATCH_PATH:-.build-probes}
suites='OpenCodeProbeTests|HTTPTransportTests|RESPProbeTests|RedisCLIReplyParserTests|DatadogAgentProbeTests|B2ProbeTests|ProbeSchedulerTests|ProbeHistoryTests|EnvironmentModelTests'
exec swift test --scratch-path "$scratch" --filter "($suites)"
