#!/usr/bin/env bash
# Set up, then build the knowledge graph of the bundled articles and draw it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
out="${1:-out}"
status=0
.venv/bin/python -m graph build data/articles --out "$out" || status=$?
if [ "$status" -gt 1 ]; then exit "$status"; fi
.venv/bin/python -m graph validate "$out/graph.ttl"
.venv/bin/python -m graph view --graph "$out" --out "$out/graph.html"
echo
echo "The knowledge graph is in $out/graph.ttl (the article graphs in graph.trig);"
echo "the Oxigraph store in $out/store/; the interactive view (works offline) in $out/graph.html."
exit "$status"
