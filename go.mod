module github.com/funnelplan/funnelplan

go 1.26

require github.com/spf13/pflag v1.0.10

require github.com/ajstarks/svgo v0.0.0-20211024235047-1546f124cd8b

require (
	github.com/chromedp/chromedp v0.23.0
	github.com/maxence-charriere/go-app/v10 v10.1.11
	gonum.org/v1/gonum v0.16.0
)

require (
	github.com/chromedp/cdproto v0.159.0 // indirect
	github.com/go-json-experiment/json v0.0.0-20260213210345-44df1a37e875 // indirect
	github.com/google/uuid v1.6.0 // indirect
)
