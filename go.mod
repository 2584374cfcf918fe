module github.com/funnelplan/funnelplan

go 1.26

require github.com/spf13/pflag v1.0.10

require github.com/ajstarks/svgo v0.0.0-20211024235047-1546f124cd8b

require (
	github.com/maxence-charriere/go-app/v10 v10.1.11
	gonum.org/v1/gonum v0.16.0
)

require github.com/google/uuid v1.6.0 // indirect
