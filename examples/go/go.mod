module quickstart

go 1.19

require leadcustomers v0.0.0

replace leadcustomers => ../../capi/go
