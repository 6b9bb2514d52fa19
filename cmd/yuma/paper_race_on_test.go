//go:build race

package main

const paperRaceEnabled = true
