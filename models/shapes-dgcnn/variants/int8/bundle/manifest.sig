{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "0jFUd/Z7trO2SmY7aybRZdmujPEVNMo5OqUezB7dFTdJwINwDdTOBYOtpLH6sxDkhClJ2sKl0U/gn0A0/kpMgw=="
}