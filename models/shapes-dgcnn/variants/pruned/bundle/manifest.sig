{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "mQ5iTeWb21c6BIeLzdpdWKyGWcNA8YrrzJglU53bnDp1hflWB1d86NYWnzTr930rSmdk7mr8qpei6firWCqsVA=="
}