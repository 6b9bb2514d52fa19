//go:build !race

package main

const paperRaceEnabled = false
