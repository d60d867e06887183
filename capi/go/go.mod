module leadcustomers

go 1.19
