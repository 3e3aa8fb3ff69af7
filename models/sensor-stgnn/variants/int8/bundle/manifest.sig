{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "34t2GwVVL/p4Y6kA75Bh16rr9IfoTA39PNVJOQW350Lqfl9lpjA4DZWQ07/pTkfHL7cL9CKrEZqwdirDGY008g=="
}