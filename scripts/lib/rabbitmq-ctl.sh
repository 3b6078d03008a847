#!/usr/bin/env bash
# rabbitmqctl bound to the test broker started by scripts/services.sh (tests get this path as RABBITMQ_CTL).
# Usage: rabbitmq-ctl.sh [rabbitmqctl|rabbitmq-diagnostics|rabbitmq-plugins|rabbitmq-queues] ARGS...
set -euo pipefail
# shellcheck source=scripts/lib/services-config.sh
source "$(dirname "${BASH_SOURCE[0]}")/services-config.sh"
rabbitmq_export_env
tool=rabbitmqctl
case "${1:-}" in rabbitmqctl | rabbitmq-diagnostics | rabbitmq-plugins | rabbitmq-queues) tool=$1 && shift ;; esac
exec "/usr/lib/rabbitmq/bin/$tool" "$@"
